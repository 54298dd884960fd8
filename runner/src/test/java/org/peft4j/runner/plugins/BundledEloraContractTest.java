package org.peft4j.runner.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.runner.contract.PeftMethodContract;
import org.peft4j.runner.contract.PluginMethods;

/** The bundled {@code elora} plugin, loaded from its built jar, passes the method contract. */
class BundledEloraContractTest extends PeftMethodContract {


    @Override
    protected PeftMethod method() {
        return PluginMethods.bundled("elora");
    }

    /** Rank 6 instead of 1024, larger than every width but one, so slicing is exercised. */
    @Override
    protected Map<String, Object> hyperParameters() {
        return Map.of("r", 6, "projection-seed", 3, "save-projection", false);
    }

    @Override
    protected List<BadValue> badValues() {
        List<BadValue> bad = new ArrayList<>(super.badValues());
        bad.add(new BadValue("d-initial", 0.0));
        return bad;
    }
}
