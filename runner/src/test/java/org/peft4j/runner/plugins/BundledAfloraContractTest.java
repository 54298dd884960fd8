package org.peft4j.runner.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.runner.contract.PeftMethodContract;
import org.peft4j.runner.contract.PluginMethods;

/**
 * The bundled {@code aflora} plugin, loaded from its built jar, passes the method contract with its
 * default {@code trainable-projections: ffn}: trainable projections on the FFN layers, frozen ones
 * elsewhere.
 */
class BundledAfloraContractTest extends PeftMethodContract {


    @Override
    protected PeftMethod method() {
        return PluginMethods.bundled("aflora");
    }

    @Override
    protected Map<String, Object> hyperParameters() {
        return Map.of("r", 3);
    }

    @Override
    protected List<BadValue> badValues() {
        List<BadValue> bad = new ArrayList<>(super.badValues());
        bad.add(new BadValue("d-initial", 0.0));
        bad.add(new BadValue("trainable-projections", "no-such-layer"));
        return bad;
    }

    /** Every target's projections trainable and freezable, with a regex target pattern. */
    @Nested
    class AllProjectionsTrainable extends PeftMethodContract {

        @Override
        protected PeftMethod method() {
            return PluginMethods.bundled("aflora");
        }

        @Override
        protected Map<String, Object> hyperParameters() {
            return Map.of("r", 2, "trainable-projections", "all", "targets", List.of("encoder\\.layer\\.1\\..*"));
        }
    }
}
