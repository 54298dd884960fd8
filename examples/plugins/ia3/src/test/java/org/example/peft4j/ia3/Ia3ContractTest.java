package org.example.peft4j.ia3;

import java.util.ArrayList;
import java.util.List;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.runner.contract.PeftMethodContract;

/**
 * (IA)³ passes peft4j's method contract: declarations, an exact no-op start, gradients against
 * finite differences, an exact merge, and clear errors for bad values.
 */
class Ia3ContractTest extends PeftMethodContract {

    @Override
    protected PeftMethod method() {
        return new Ia3Method();
    }

    @Override
    protected List<BadValue> badValues() {
        List<BadValue> bad = new ArrayList<>(super.badValues());
        bad.add(new BadValue("feedforward-modules", List.of("no-such-layer")));
        bad.add(new BadValue("targets", List.of()));
        return bad;
    }
}
