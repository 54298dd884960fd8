package org.example.peft4j.ia3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.ParameterCounts;
import org.peft4j.api.method.ParameterValues;
import org.peft4j.engine.adapters.AdapterInstaller;
import org.peft4j.engine.adapters.GraphAdapterContext;
import org.peft4j.runner.config.ValidatedHyperParameters;
import org.peft4j.runner.contract.TinyEncoder;

/** Where (IA)³ puts its vectors, how many scalars it trains, and its merge formula. */
class Ia3AdapterTest {

    private static ValidatedHyperParameters params(Map<String, Object> values) {
        Ia3Method method = new Ia3Method();
        return new ValidatedHyperParameters("strategies[0].", values, method.hyperParameters(), "method 'ia3'");
    }

    @Test
    void rescalesKeysAndValuesAtTheirOutputAndTheFeedForwardActivations() {
        TinyEncoder.Model model = TinyEncoder.model(3);
        Graph g = model.graph().copy();
        AdapterInstaller.Installed installed = AdapterInstaller.install(g, model.layers(), new Ia3Method(), params(Map.of()), 1);
        List<String> modules = installed.targets().stream().map(LinearLayer::module).toList();
        assertEquals(List.of("encoder.layer.0.attention.self.key", "encoder.layer.0.attention.self.value", "encoder.layer.0.output.dense",
                "encoder.layer.1.attention.self.key", "encoder.layer.1.attention.self.value", "encoder.layer.1.output.dense"), modules);
        for (AdapterParameter p : installed.parameters()) {
            boolean ffn = p.module().endsWith(".output.dense");
            assertEquals(p.module() + ".ia3_l", p.name());
            assertArrayEquals(new long[] {ffn ? 32 : 16}, p.shape(), p.name());
            assertTrue(p.trainable() && !p.freezable(), p.name());
            for (float v : installed.context().initialValue(p.name())) {
                assertEquals(1f, v, p.name() + " starts at 1");
            }
        }
    }

    @Test
    void trainsFiftyFiveThousandScalarsOnABertBaseShape() {
        List<LinearLayer> layers = new ArrayList<>();
        String[] suffixes = {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            "intermediate.dense", "output.dense"};
        for (int i = 0; i < 12; i++) {
            for (String s : suffixes) {
                String m = "encoder.layer." + i + "." + s;
                int in = s.equals("output.dense") ? 3072 : 768;
                int out = s.equals("intermediate.dense") ? 3072 : 768;
                layers.add(new LinearLayer(m, m + ".x", m + ".w", m + ".bias", m + ".y", in, out));
            }
        }
        Ia3Adapter adapter = (Ia3Adapter) new Ia3Method().configure(params(Map.of()));
        GraphAdapterContext context = new GraphAdapterContext(new Graph("bert-base-shape", 17), 0);
        for (LinearLayer l : adapter.selectTargets(layers)) {
            adapter.rewrite(l, context);
        }
        // keys and values: 2 x 768 per layer; FFN activations: 3072 per layer
        assertEquals(12 * (2 * 768 + 3072), ParameterCounts.initial(context.parameters()).trainable());
    }

    @Test
    void mergeScalesColumnsForOutputsAndRowsForInputs() {
        Ia3Adapter adapter = (Ia3Adapter) new Ia3Method().configure(params(Map.of()));
        LinearLayer key = new LinearLayer("encoder.layer.0.attention.self.key", "x", "w", "b", "y", 2, 3);
        LinearLayer ffnOut = new LinearLayer("encoder.layer.0.output.dense", "x2", "w2", "b2", "y2", 2, 3);
        assertFalse(adapter.scalesInput(key));
        assertTrue(adapter.scalesInput(ffnOut));
        float[] w = {1, 2, 3, 4, 5, 6};
        ParameterValues values = new ParameterValues() {
            @Override
            public float[] get(String name) {
                return switch (name) {
                    case "encoder.layer.0.attention.self.key.ia3_l" -> new float[] {2, 0.5f, -1};
                    case "encoder.layer.0.output.dense.ia3_l" -> new float[] {3, 0};
                    default -> throw new IllegalArgumentException(name);
                };
            }

            @Override
            public Set<String> names() {
                return Set.of("encoder.layer.0.attention.self.key.ia3_l", "encoder.layer.0.output.dense.ia3_l");
            }
        };
        assertArrayEquals(new float[] {2, 1, -3, 8, 2.5f, -6}, adapter.merge(key, w, values));
        assertArrayEquals(new float[] {3, 6, 9, 0, 0, 0}, adapter.merge(ffnOut, w, values));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w, "the base weight is not modified");
    }
}
