package org.peft4j.runner.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.runner.contract.PeftMethodContract;
import org.peft4j.runner.contract.PluginMethods;

/** The bundled {@code lora} plugin, loaded from its built jar, passes the method contract. */
class BundledLoraContractTest extends PeftMethodContract {


    @Override
    protected PeftMethod method() {
        return PluginMethods.bundled("lora");
    }

    /** A small rank, a scale other than 1 and dropout (evaluation mode in the checks). */
    @Override
    protected Map<String, Object> hyperParameters() {
        return Map.of("r", 2, "alpha", 6.0, "dropout", 0.1);
    }

    @Override
    protected List<BadValue> badValues() {
        List<BadValue> bad = new ArrayList<>(super.badValues());
        bad.add(new BadValue("dropout", 1.0));
        bad.add(new BadValue("rank-pattern", Map.of("query", 0)));
        bad.add(new BadValue("alpha-pattern", Map.of("no-such-layer", 4.0)));
        return bad;
    }

    /** rsLoRA scaling with per-module rank and alpha overrides, on query and value only. */
    @Nested
    class WithRsLoraAndPatterns extends PeftMethodContract {

        @Override
        protected PeftMethod method() {
            return PluginMethods.bundled("lora");
        }

        @Override
        protected Map<String, Object> hyperParameters() {
            return Map.of("r", 2, "use-rslora", true, "targets", List.of("query", "value"), "rank-pattern", Map.of("value", 3),
                    "alpha-pattern", Map.of("query", 5.0));
        }
    }
}
