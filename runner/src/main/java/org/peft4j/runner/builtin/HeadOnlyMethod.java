package org.peft4j.runner.builtin;

import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.AdapterContext;
import org.peft4j.api.method.ParameterValues;
import org.peft4j.api.method.PeftMethod;
import org.pf4j.Extension;

/**
 * The baseline every comparison needs: no adapter at all, only the task head trains. Its adapter
 * selects no layer, so the encoder stays exactly the pre-trained one.
 */
@Extension
public final class HeadOnlyMethod implements PeftMethod {

    @Override
    public String id() {
        return "head-only";
    }

    @Override
    public String description() {
        return "Baseline: the encoder stays frozen and only the classification head trains";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return List.of();
    }

    @Override
    public Adapter configure(HyperParameters params) {
        return new Adapter() {
            @Override
            public List<LinearLayer> selectTargets(List<LinearLayer> layers) {
                return List.of();
            }

            @Override
            public void rewrite(LinearLayer layer, AdapterContext context) {
                throw new IllegalStateException("the head-only baseline adapts no layer, asked to adapt " + layer.module());
            }

            @Override
            public float[] merge(LinearLayer layer, float[] baseWeight, ParameterValues values) {
                return baseWeight.clone();
            }
        };
    }
}
