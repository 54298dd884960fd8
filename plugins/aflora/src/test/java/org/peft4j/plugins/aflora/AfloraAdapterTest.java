package org.peft4j.plugins.aflora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.ParameterCounts;
import org.peft4j.api.testing.LinearModels;
import org.peft4j.api.testing.LinearModels.Chain;
import org.peft4j.api.testing.MapHyperParameters;
import org.peft4j.api.testing.RecordingAdapterContext;
import org.peft4j.api.testing.ReferenceEvaluator;
import org.peft4j.api.testing.ReferenceEvaluator.Value;

class AfloraAdapterTest {

    private static final List<String> MODULES = List.of("enc.0.attention.self.query", "enc.0.intermediate.dense", "enc.0.output.dense");
    private static final int[] WIDTHS = {5, 5, 9, 5};
    private static final int ROWS = 4;

    private final AfloraMethod method = new AfloraMethod();

    private static RecordingAdapterContext rewrite(Adapter adapter, Graph graph, List<LinearLayer> layers, long seed) {
        RecordingAdapterContext ctx = new RecordingAdapterContext(graph, seed);
        List<LinearLayer> targets = adapter.selectTargets(layers);
        adapter.prepare(targets, ctx);
        targets.forEach(l -> adapter.rewrite(l, ctx));
        return ctx;
    }

    @Test
    void declaresEveryHyperParameterWithDefaultAndDescription() {
        assertEquals("aflora", method.id());
        assertEquals("aflora-sensitivity", method.defaultScorer());
        assertEquals("aflora-cubic", method.defaultScheduler());
        Map<String, Object> defaults = new HashMap<>();
        for (HyperParameter<?> p : method.hyperParameters()) {
            assertFalse(p.description().isBlank(), p.key());
            assertTrue(p.defaultValue() != null, p.key());
            assertEquals(null, defaults.put(p.key(), p.defaultValue()), "duplicate " + p.key());
        }
        assertEquals(Set.of("r", "d-initial", "trainable-projections", "targets", "exclude"), defaults.keySet());
        assertEquals(4, defaults.get("r"));
        assertEquals(0.1, defaults.get("d-initial"));
        assertEquals("ffn", defaults.get("trainable-projections"));
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertEquals("s.r", assertThrows(ConfigurationException.class,
                () -> method.configure(new MapHyperParameters("s.", Map.of("r", 0)))).key());
        assertEquals("s.d-initial", assertThrows(ConfigurationException.class,
                () -> method.configure(new MapHyperParameters("s.", Map.of("d-initial", 0)))).key());
        assertEquals("s.trainable-projections", assertThrows(ConfigurationException.class,
                () -> method.configure(new MapHyperParameters("s.", Map.of("trainable-projections", " ")))).key());
        assertEquals("s.trainable-projections", assertThrows(ConfigurationException.class,
                () -> method.configure(new MapHyperParameters("s.", Map.of("trainable-projections", "(bad")))).key());
        Adapter unmatched = method.configure(new MapHyperParameters("s.", Map.of("trainable-projections", "pooler.dense")));
        assertEquals("s.trainable-projections", assertThrows(ConfigurationException.class,
                () -> unmatched.selectTargets(LinearModels.bertLayers(1, 4, 8))).key());
        Adapter noTargets = method.configure(new MapHyperParameters("s.", Map.of("targets", List.of("nope"))));
        assertEquals("s.targets", assertThrows(ConfigurationException.class,
                () -> noTargets.selectTargets(LinearModels.bertLayers(1, 4, 8))).key());
    }

    @Test
    void parameterCountsOfTheSpecShape() {
        RecordingAdapterContext ctx = rewrite(method.configure(MapHyperParameters.empty()), new Graph("g", 17),
                LinearModels.bertLayers(12, 768, 3072), 42);
        ParameterCounts counts = ParameterCounts.initial(ctx.parameters());
        assertEquals(368_640, counts.freezable(), "FFN projections");
        assertEquals(83_232, counts.permanent(), "vectors d and b");
        assertEquals(83_232 + 368_640, counts.trainable());
        long vectors = ctx.parameters().stream().filter(p -> p.role().equals("aflora_d") || p.role().equals("aflora_b"))
                .mapToLong(AdapterParameter::elementCount).sum();
        assertEquals(83_232, vectors);
        // attention projections are frozen random constants: 4 per layer of (768 x 4) * 2
        assertEquals(12L * 4 * 2 * 768 * 4, counts.constants());
        Set<String> ffnProjections = new java.util.HashSet<>();
        ctx.parameters().stream().filter(AdapterParameter::freezable).forEach(p -> ffnProjections.add(p.name()));
        ParameterCounts end = ParameterCounts.of(ctx.parameters(), ffnProjections);
        assertEquals(83_232, end.trainable(), "after freezing every projection only the vectors train");
        assertEquals(368_640, end.frozen());
    }

    @Test
    void trainableProjectionsSelectsFfnAllNoneOrAPattern() {
        List<LinearLayer> layers = LinearModels.bertLayers(2, 8, 32);
        Map<String, Long> freezable = new LinkedHashMap<>();
        for (String mode : List.of("ffn", "all", "none", "query", "encoder\\.layer\\.1\\..*", "query, value")) {
            RecordingAdapterContext ctx = rewrite(method.configure(MapHyperParameters.of("trainable-projections", mode)), new Graph("g", 17),
                    layers, 1);
            freezable.put(mode, ctx.parameters().stream().filter(AdapterParameter::freezable).count());
            for (AdapterParameter p : ctx.parameters()) {
                if (p.role().equals("aflora_d") || p.role().equals("aflora_b")) {
                    assertTrue(p.trainable() && !p.freezable());
                } else {
                    assertEquals(p.trainable(), p.freezable(), p.name());
                }
            }
        }
        assertEquals(Map.of("ffn", 8L, "all", 24L, "none", 0L, "query", 4L, "encoder\\.layer\\.1\\..*", 12L, "query, value", 8L), freezable);
        AfloraAdapter ffn = (AfloraAdapter) method.configure(MapHyperParameters.empty());
        assertTrue(ffn.projectionsTrainable(layers.get(4)));
        assertTrue(ffn.projectionsTrainable(layers.get(5)));
        assertFalse(ffn.projectionsTrainable(layers.get(3)));
    }

    @Test
    void initialisesPerSpec() {
        List<LinearLayer> layers = LinearModels.bertLayers(1, 256, 1024);
        RecordingAdapterContext ctx = rewrite(method.configure(MapHyperParameters.of("r", 8, "d-initial", 0.25)), new Graph("g", 17),
                layers, 5);
        for (LinearLayer l : layers) {
            String m = l.module();
            assertArrayEquals(new long[] {l.in(), 8}, ctx.parameter(m + ".aflora_A").shape());
            assertArrayEquals(new long[] {8, l.out()}, ctx.parameter(m + ".aflora_B").shape());
            assertArrayEquals(new long[] {8}, ctx.parameter(m + ".aflora_d").shape());
            assertArrayEquals(new long[] {l.out()}, ctx.parameter(m + ".aflora_b").shape());
            checkUniform(ctx.initialValues(m + ".aflora_A"), Math.sqrt(6.0 / l.in()));
            checkUniform(ctx.initialValues(m + ".aflora_B"), Math.sqrt(6.0 / 8));
            for (float v : ctx.initialValues(m + ".aflora_d")) {
                assertEquals(0.25f, v);
            }
            for (float v : ctx.initialValues(m + ".aflora_b")) {
                assertEquals(0f, v);
            }
        }
        RecordingAdapterContext again = rewrite(method.configure(MapHyperParameters.of("r", 8, "d-initial", 0.25)), new Graph("g", 17),
                layers, 5);
        assertArrayEquals(ctx.initialValues(layers.get(2).module() + ".aflora_B"), again.initialValues(layers.get(2).module() + ".aflora_B"));
    }

    private static void checkUniform(float[] v, double bound) {
        double sum = 0;
        double sq = 0;
        double max = 0;
        for (float x : v) {
            assertTrue(Math.abs(x) <= bound, x + " outside +-" + bound);
            sum += x;
            sq += x * x;
            max = Math.max(max, Math.abs(x));
        }
        assertEquals(0, sum / v.length, 4 * bound / Math.sqrt(3 * v.length));
        assertEquals(bound * bound / 3, sq / v.length, 0.2 * bound * bound / 3);
        assertTrue(max > 0.9 * bound);
    }

    private static double[] input(long seed) {
        Random r = new Random(seed);
        double[] x = new double[ROWS * WIDTHS[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static double[] run(Chain chain, double[] x, Map<String, float[]> overrides) {
        return ReferenceEvaluator.evaluate(chain.graph(), Map.of(Chain.INPUT, new Value(new long[] {ROWS, WIDTHS[0]}, x)), overrides,
                Chain.OUTPUT).data();
    }

    @Test
    void startsAsAnExactNoOp() {
        double[] x = input(1);
        double[] before = run(LinearModels.chain(MODULES, WIDTHS, ROWS, 3), x, Map.of());
        Chain adapted = LinearModels.chain(MODULES, WIDTHS, ROWS, 3);
        rewrite(method.configure(MapHyperParameters.of("trainable-projections", "all")), adapted.graph(), adapted.layers(), 2);
        assertArrayEquals(before, run(adapted, x, Map.of()));
    }

    @Test
    void mergedWeightsReproduceTheAdaptedGraphAndTheSpecFormula() {
        Chain chain = LinearModels.chain(MODULES, WIDTHS, ROWS, 3);
        int r = 3;
        Adapter adapter = method.configure(MapHyperParameters.of("r", r));
        RecordingAdapterContext ctx = rewrite(adapter, chain.graph(), chain.layers(), 2);
        Random rnd = new Random(6);
        Map<String, float[]> values = new HashMap<>();
        for (AdapterParameter p : ctx.parameters()) {
            float[] v = ctx.initialValues(p.name());
            if (p.trainable()) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) rnd.nextGaussian();
                }
            }
            values.put(p.name(), v);
        }
        double[] x = input(7);
        double[] graphOut = run(chain, x, values);
        List<float[]> merged = new ArrayList<>();
        for (int l = 0; l < chain.layers().size(); l++) {
            LinearLayer layer = chain.layers().get(l);
            float[] w0 = chain.weights().get(l);
            float[] w = adapter.merge(layer, w0, ctx.values(values));
            merged.add(w);
            // spec: W_torch = W0_torch + diag(b) B diag(d) A, with A = A_stored^T (r x in), B = B_stored^T (out x r)
            float[] a = values.get(layer.module() + ".aflora_A");
            float[] bp = values.get(layer.module() + ".aflora_B");
            float[] d = values.get(layer.module() + ".aflora_d");
            float[] b = values.get(layer.module() + ".aflora_b");
            for (int o = 0; o < layer.out(); o++) {
                for (int i = 0; i < layer.in(); i++) {
                    double delta = 0;
                    for (int k = 0; k < r; k++) {
                        double aSpec = a[i * r + k];
                        double bSpec = bp[k * layer.out() + o];
                        delta += bSpec * d[k] * aSpec;
                    }
                    assertEquals(w0[i * layer.out() + o] + b[o] * delta, w[i * layer.out() + o], 1e-5);
                }
            }
        }
        double[] mergedOut = chain.reference(x, ROWS, merged);
        double[] baseOut = chain.reference(x, ROWS, chain.weights());
        double diff = 0;
        for (int i = 0; i < graphOut.length; i++) {
            assertEquals(graphOut[i], mergedOut[i], 1e-4 * (1 + Math.abs(graphOut[i])));
            diff += Math.abs(graphOut[i] - baseOut[i]);
        }
        assertTrue(diff > 1e-2);
    }
}
