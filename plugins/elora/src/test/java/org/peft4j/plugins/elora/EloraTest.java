package org.peft4j.plugins.elora;

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

class EloraTest {

    private static final List<String> MODULES = List.of("enc.0.attention.self.query", "enc.0.intermediate.dense", "enc.0.output.dense");
    private static final int[] WIDTHS = {5, 5, 9, 5};
    private static final int ROWS = 4;

    private final EloraMethod method = new EloraMethod();

    private static RecordingAdapterContext rewrite(Adapter adapter, Chain chain, long seed) {
        return rewrite(adapter, chain.graph(), chain.layers(), seed);
    }

    private static RecordingAdapterContext rewrite(Adapter adapter, Graph graph, List<LinearLayer> layers, long seed) {
        RecordingAdapterContext ctx = new RecordingAdapterContext(graph, seed);
        List<LinearLayer> targets = adapter.selectTargets(layers);
        adapter.prepare(targets, ctx);
        targets.forEach(l -> adapter.rewrite(l, ctx));
        return ctx;
    }

    @Test
    void declaresEveryHyperParameterWithDefaultAndDescription() {
        assertEquals("elora", method.id());
        Map<String, Object> defaults = new HashMap<>();
        for (HyperParameter<?> p : method.hyperParameters()) {
            assertFalse(p.description().isBlank(), p.key());
            assertTrue(p.defaultValue() != null, p.key());
            assertEquals(null, defaults.put(p.key(), p.defaultValue()), "duplicate " + p.key());
        }
        assertEquals(Set.of("r", "projection-seed", "d-initial", "save-projection", "targets", "exclude"), defaults.keySet());
        assertEquals(1024, defaults.get("r"));
        assertEquals(0, defaults.get("projection-seed"));
        assertEquals(0.1, defaults.get("d-initial"));
        assertEquals(true, defaults.get("save-projection"));
        assertEquals(6, ((List<?>) defaults.get("targets")).size());
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertEquals("m.r", assertThrows(ConfigurationException.class,
                () -> method.configure(new MapHyperParameters("m.", Map.of("r", 0)))).key());
        assertEquals("m.d-initial", assertThrows(ConfigurationException.class,
                () -> method.configure(new MapHyperParameters("m.", Map.of("d-initial", 0.0)))).key());
        assertEquals("m.d-initial", assertThrows(ConfigurationException.class,
                () -> method.configure(new MapHyperParameters("m.", Map.of("d-initial", Double.POSITIVE_INFINITY)))).key());
        Adapter a = method.configure(new MapHyperParameters("m.", Map.of("targets", List.of("nope"))));
        assertEquals("m.targets", assertThrows(ConfigurationException.class,
                () -> a.selectTargets(LinearModels.bertLayers(1, 4, 8))).key());
    }

    @Test
    void parameterCountOfTheSpecShape() {
        Adapter adapter = method.configure(MapHyperParameters.empty());
        RecordingAdapterContext ctx = rewrite(adapter, new Graph("g", 17), LinearModels.bertLayers(12, 768, 3072), 1);
        ParameterCounts counts = ParameterCounts.initial(ctx.parameters());
        assertEquals(156_672, counts.trainable());
        assertEquals(0, counts.freezable());
        assertEquals(2L * 3072 * 1024, counts.constants());
        AdapterParameter a = ctx.parameter("vera_A");
        AdapterParameter b = ctx.parameter("vera_B");
        assertArrayEquals(new long[] {3072, 1024}, a.shape());
        assertArrayEquals(new long[] {1024, 3072}, b.shape());
        assertEquals("", a.module());
        assertFalse(a.trainable() || b.trainable());
        // one Slice per distinct non-maximal width: A rows 768, B columns 768
        assertEquals(2, ctx.graph().nodes().stream().filter(n -> n.opType().equals("Slice")).count());
    }

    @Test
    void sharedProjectionsAreKaimingUniformAndRegeneratedFromTheirSeedOnly() {
        Adapter a1 = method.configure(MapHyperParameters.of("r", 64, "projection-seed", 7));
        Adapter a2 = method.configure(MapHyperParameters.of("r", 64, "projection-seed", 7));
        Adapter a3 = method.configure(MapHyperParameters.of("r", 64, "projection-seed", 8));
        int[] widths = {96, 96, 384, 96};
        RecordingAdapterContext c1 = rewrite(a1, LinearModels.chain(MODULES, widths, 1, 1), 1);
        RecordingAdapterContext c2 = rewrite(a2, LinearModels.chain(MODULES, widths, 1, 1), 999);
        RecordingAdapterContext c3 = rewrite(a3, LinearModels.chain(MODULES, widths, 1, 1), 1);
        assertArrayEquals(c1.initialValues("vera_A"), c2.initialValues("vera_A"), "the run seed must not matter");
        assertArrayEquals(c1.initialValues("vera_B"), c2.initialValues("vera_B"));
        assertFalse(java.util.Arrays.equals(c1.initialValues("vera_A"), c3.initialValues("vera_A")));
        float[][] direct = EloraAdapter.projections(7, 64, 384, 384);
        assertArrayEquals(direct[0], c1.initialValues("vera_A"));
        checkUniform(c1.initialValues("vera_A"), Math.sqrt(6.0 / 384));
        checkUniform(c1.initialValues("vera_B"), Math.sqrt(6.0 / 64));
        for (LinearLayer l : LinearModels.chain(MODULES, widths, 1, 1).layers()) {
            AdapterParameter d = c1.parameter(l.module() + ".vera_lambda_d");
            AdapterParameter b = c1.parameter(l.module() + ".vera_lambda_b");
            assertEquals("vera_lambda_d", d.role());
            assertEquals("vera_lambda_b", b.role());
            assertArrayEquals(new long[] {64}, d.shape());
            assertArrayEquals(new long[] {l.out()}, b.shape());
            assertTrue(d.trainable() && b.trainable() && !d.freezable() && !b.freezable());
            for (float v : c1.initialValues(d.name())) {
                assertEquals(0.1f, v);
            }
            for (float v : c1.initialValues(b.name())) {
                assertEquals(0f, v);
            }
        }
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
        assertEquals(bound * bound / 3, sq / v.length, 0.1 * bound * bound / 3);
        assertTrue(max > 0.99 * bound);
    }

    @Test
    void saveProjectionControlsWhatCheckpointsMayOmit() {
        assertEquals(Set.of(), method.configure(MapHyperParameters.empty()).regeneratedConstants());
        assertEquals(Set.of("vera_A", "vera_B"),
                method.configure(MapHyperParameters.of("save-projection", false)).regeneratedConstants());
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
        double[] x = input(3);
        double[] before = run(LinearModels.chain(MODULES, WIDTHS, ROWS, 2), x, Map.of());
        Chain adapted = LinearModels.chain(MODULES, WIDTHS, ROWS, 2);
        rewrite(method.configure(MapHyperParameters.of("r", 6)), adapted, 1);
        assertArrayEquals(before, run(adapted, x, Map.of()));
    }

    /** Random trained vectors; the shared projections keep their values. */
    private static Map<String, float[]> trained(RecordingAdapterContext ctx, long seed) {
        Random r = new Random(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (AdapterParameter p : ctx.parameters()) {
            if (p.trainable()) {
                float[] v = new float[(int) p.elementCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
                values.put(p.name(), v);
            }
        }
        return values;
    }

    @Test
    void mergedWeightsReproduceTheAdaptedGraphWithSlicedProjections() {
        Chain chain = LinearModels.chain(MODULES, WIDTHS, ROWS, 2);
        Adapter adapter = method.configure(MapHyperParameters.of("r", 6, "projection-seed", 3));
        RecordingAdapterContext ctx = rewrite(adapter, chain, 1);
        assertEquals(2, chain.graph().nodes().stream().filter(n -> n.opType().equals("Slice")).count());
        Map<String, float[]> values = trained(ctx, 4);
        double[] x = input(5);
        double[] graphOut = run(chain, x, values);
        List<float[]> merged = new ArrayList<>();
        for (int l = 0; l < chain.layers().size(); l++) {
            merged.add(adapter.merge(chain.layers().get(l), chain.weights().get(l), ctx.values(values)));
        }
        double[] mergedOut = chain.reference(x, ROWS, merged);
        double[] baseOut = chain.reference(x, ROWS, chain.weights());
        double diff = 0;
        for (int i = 0; i < graphOut.length; i++) {
            assertEquals(graphOut[i], mergedOut[i], 1e-4 * (1 + Math.abs(graphOut[i])));
            diff += Math.abs(graphOut[i] - baseOut[i]);
        }
        assertTrue(diff > 1e-2);
        // a second set of values (another checkpoint) must not reuse the first one's projections
        Map<String, float[]> other = new LinkedHashMap<>(values);
        float[] a = ctx.initialValues("vera_A");
        for (int i = 0; i < a.length; i++) {
            a[i] *= 2;
        }
        other.put("vera_A", a);
        LinearLayer first = chain.layers().get(0);
        float[] once = adapter.merge(first, chain.weights().get(0), ctx.values(values));
        float[] twice = adapter.merge(first, chain.weights().get(0), ctx.values(other));
        float[] w0 = chain.weights().get(0);
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * (once[i] - w0[i]), twice[i] - w0[i], 1e-4);
        }
    }

    @Test
    void mergeMatchesTheSpecFormulaOnTheLeadingSlices() {
        Chain chain = LinearModels.chain(MODULES, WIDTHS, ROWS, 2);
        int r = 6;
        Adapter adapter = method.configure(MapHyperParameters.of("r", r));
        RecordingAdapterContext ctx = rewrite(adapter, chain, 1);
        Map<String, float[]> values = trained(ctx, 8);
        int inMax = 9;
        int outMax = 9;
        float[] aStored = ctx.initialValues("vera_A");
        float[] bStored = ctx.initialValues("vera_B");
        // spec layout: A is r x in_max, B is out_max x r
        double[][] aSpec = new double[r][inMax];
        double[][] bSpec = new double[outMax][r];
        for (int i = 0; i < inMax; i++) {
            for (int k = 0; k < r; k++) {
                aSpec[k][i] = aStored[i * r + k];
            }
        }
        for (int k = 0; k < r; k++) {
            for (int o = 0; o < outMax; o++) {
                bSpec[o][k] = bStored[k * outMax + o];
            }
        }
        for (LinearLayer layer : chain.layers()) {
            float[] d = values.get(layer.module() + ".vera_lambda_d");
            float[] b = values.get(layer.module() + ".vera_lambda_b");
            float[] w0 = chain.weights().get(chain.layers().indexOf(layer));
            float[] merged = adapter.merge(layer, w0, ctx.values(values));
            for (int o = 0; o < layer.out(); o++) {
                for (int i = 0; i < layer.in(); i++) {
                    double delta = 0;
                    for (int k = 0; k < r; k++) {
                        delta += bSpec[o][k] * d[k] * aSpec[k][i];
                    }
                    assertEquals(w0[i * layer.out() + o] + b[o] * delta, merged[i * layer.out() + o], 1e-5);
                }
            }
        }
    }

    @Test
    void rewriteBeforePrepareFailsClearly() {
        Adapter adapter = method.configure(MapHyperParameters.of("r", 4));
        Chain chain = LinearModels.chain(MODULES, WIDTHS, ROWS, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> adapter.rewrite(chain.layers().get(0), new RecordingAdapterContext(chain.graph(), 1)));
        assertTrue(e.getMessage().contains(MODULES.get(0)));
    }
}
