package org.peft4j.plugins.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Node;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.ParameterValues;
import org.peft4j.api.testing.LinearModels;
import org.peft4j.api.testing.LinearModels.Chain;
import org.peft4j.api.testing.MapHyperParameters;
import org.peft4j.api.testing.RecordingAdapterContext;
import org.peft4j.api.testing.ReferenceEvaluator;
import org.peft4j.api.testing.ReferenceEvaluator.Value;

class LoraAdapterTest {

    private static final List<String> MODULES = List.of("enc.0.attention.self.query", "enc.0.intermediate.dense", "enc.0.output.dense");
    private static final int[] WIDTHS = {6, 6, 10, 6};
    private static final int ROWS = 5;

    private static RecordingAdapterContext rewrite(Adapter adapter, Chain chain, long seed) {
        RecordingAdapterContext ctx = new RecordingAdapterContext(chain.graph(), seed);
        List<LinearLayer> targets = adapter.selectTargets(chain.layers());
        adapter.prepare(targets, ctx);
        targets.forEach(l -> adapter.rewrite(l, ctx));
        return ctx;
    }

    private static double[] randomInput(long seed) {
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
    void registersTransposedFactorsWithTheSpecInit() {
        Chain chain = LinearModels.chain(MODULES, new int[] {64, 64, 256, 64}, 1, 3);
        Adapter adapter = new LoraMethod().configure(MapHyperParameters.of("r", 8));
        RecordingAdapterContext ctx = rewrite(adapter, chain, 7);
        assertEquals(6, ctx.parameters().size());
        for (LinearLayer l : chain.layers()) {
            AdapterParameter a = ctx.parameter(l.module() + ".lora_A");
            AdapterParameter b = ctx.parameter(l.module() + ".lora_B");
            assertEquals("lora_A", a.role());
            assertEquals("lora_B", b.role());
            assertEquals(l.module(), a.module());
            assertArrayEquals(new long[] {l.in(), 8}, a.shape());
            assertArrayEquals(new long[] {8, l.out()}, b.shape());
            assertTrue(a.trainable() && b.trainable());
            assertFalse(a.freezable() || b.freezable());
            float[] av = ctx.initialValues(a.name());
            double bound = 1 / Math.sqrt(l.in());
            double sum = 0;
            double sq = 0;
            double max = 0;
            for (float v : av) {
                assertTrue(Math.abs(v) <= bound, v + " outside +-" + bound);
                sum += v;
                sq += v * v;
                max = Math.max(max, Math.abs(v));
            }
            // U(-c, c): mean 0, variance c^2 / 3, extremes close to c
            assertEquals(0, sum / av.length, 4 * bound / Math.sqrt(3 * av.length));
            assertEquals(bound * bound / 3, sq / av.length, 0.15 * bound * bound / 3);
            assertTrue(max > 0.95 * bound);
            for (float v : ctx.initialValues(b.name())) {
                assertEquals(0f, v);
            }
        }
    }

    @Test
    void initialValuesDependOnlyOnTheSeed() {
        Adapter a1 = new LoraMethod().configure(MapHyperParameters.empty());
        Adapter a2 = new LoraMethod().configure(MapHyperParameters.empty());
        Adapter a3 = new LoraMethod().configure(MapHyperParameters.empty());
        String name = MODULES.get(1) + ".lora_A";
        float[] v1 = rewrite(a1, LinearModels.chain(MODULES, WIDTHS, ROWS, 1), 5).initialValues(name);
        float[] v2 = rewrite(a2, LinearModels.chain(MODULES, WIDTHS, ROWS, 1), 5).initialValues(name);
        float[] v3 = rewrite(a3, LinearModels.chain(MODULES, WIDTHS, ROWS, 1), 6).initialValues(name);
        assertArrayEquals(v1, v2);
        assertFalse(java.util.Arrays.equals(v1, v3));
    }

    @Test
    void startsAsAnExactNoOp() {
        Chain base = LinearModels.chain(MODULES, WIDTHS, ROWS, 11);
        double[] x = randomInput(1);
        double[] before = run(base, x, Map.of());
        Chain adapted = LinearModels.chain(MODULES, WIDTHS, ROWS, 11);
        rewrite(new LoraMethod().configure(MapHyperParameters.of("alpha", 32, "r", 4)), adapted, 3);
        assertArrayEquals(before, run(adapted, x, Map.of()));
    }

    /** Random trained values for every parameter, so that B != 0. */
    private static Map<String, float[]> trained(RecordingAdapterContext ctx, long seed) {
        Random r = new Random(seed);
        Map<String, float[]> values = new HashMap<>();
        for (AdapterParameter p : ctx.parameters()) {
            float[] v = new float[(int) p.elementCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian() * 0.3f;
            }
            values.put(p.name(), v);
        }
        return values;
    }

    @Test
    void mergedWeightsReproduceTheAdaptedGraph() {
        for (Map<String, Object> config : List.<Map<String, Object>>of(Map.of("r", 3, "alpha", 5.0),
                Map.of("r", 4, "alpha", 2.0, "use-rslora", true, "rank-pattern", Map.of("intermediate.dense", 2)),
                Map.of("r", 2, "alpha", 2.0, "dropout", 0.2, "alpha-pattern", Map.of("query", 7)))) {
            Chain chain = LinearModels.chain(MODULES, WIDTHS, ROWS, 21);
            Adapter adapter = new LoraMethod().configure(new MapHyperParameters("", config));
            RecordingAdapterContext ctx = rewrite(adapter, chain, 4);
            Map<String, float[]> values = trained(ctx, 9);
            ParameterValues pv = ctx.values(values);
            double[] x = randomInput(2);
            double[] graphOut = run(chain, x, values);
            List<float[]> merged = new ArrayList<>();
            for (int l = 0; l < chain.layers().size(); l++) {
                merged.add(adapter.merge(chain.layers().get(l), chain.weights().get(l), pv));
            }
            double[] mergedOut = chain.reference(x, ROWS, merged);
            double[] baseOut = chain.reference(x, ROWS, chain.weights());
            double diff = 0;
            for (int i = 0; i < graphOut.length; i++) {
                assertEquals(graphOut[i], mergedOut[i], 1e-4 * (1 + Math.abs(graphOut[i])), config.toString());
                diff += Math.abs(graphOut[i] - baseOut[i]);
            }
            assertTrue(diff > 1e-2, "the trained adapter must change the output");
        }
    }

    @Test
    void mergeMatchesTheSpecFormulaInHfLayout() {
        Chain chain = LinearModels.chain(MODULES, WIDTHS, ROWS, 5);
        Adapter adapter = new LoraMethod().configure(MapHyperParameters.of("r", 3, "alpha", 6));
        RecordingAdapterContext ctx = rewrite(adapter, chain, 4);
        Map<String, float[]> values = trained(ctx, 17);
        LinearLayer layer = chain.layers().get(2);
        int in = layer.in();
        int out = layer.out();
        int r = 3;
        float[] aStored = values.get(layer.module() + ".lora_A");
        float[] bStored = values.get(layer.module() + ".lora_B");
        // HF layout: A_hf [r, in] = A_stored^T, B_hf [out, r] = B_stored^T; W_torch = W0^T + (alpha/r) B_hf A_hf
        double[][] aHf = new double[r][in];
        double[][] bHf = new double[out][r];
        for (int i = 0; i < in; i++) {
            for (int k = 0; k < r; k++) {
                aHf[k][i] = aStored[i * r + k];
            }
        }
        for (int k = 0; k < r; k++) {
            for (int o = 0; o < out; o++) {
                bHf[o][k] = bStored[k * out + o];
            }
        }
        float[] w0 = chain.weights().get(2);
        float[] merged = adapter.merge(layer, w0, ctx.values(values));
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double delta = 0;
                for (int k = 0; k < r; k++) {
                    delta += bHf[o][k] * aHf[k][i];
                }
                assertEquals(w0[i * out + o] + 2.0 * delta, merged[i * out + o], 1e-5);
            }
        }
        assertArrayEquals(chain.weights().get(2), w0, "merge must not modify the base weight");
    }

    @Test
    void dropoutIsAppliedToTheAdapterInputOnly() {
        Chain chain = LinearModels.chain(MODULES.subList(0, 1), new int[] {6, 6}, ROWS, 5);
        RecordingAdapterContext ctx = rewrite(new LoraMethod().configure(MapHyperParameters.of("dropout", 0.25)), chain, 1);
        assertEquals(1, ctx.dropoutCalls().size());
        assertEquals(Chain.INPUT, ctx.dropoutCalls().get(0).value());
        assertEquals(0.25, ctx.dropoutCalls().get(0).p());
        Graph g = chain.graph();
        Node base = g.nodes().get(0);
        assertEquals("MatMul", base.opType());
        assertEquals(Chain.INPUT, base.inputs().get(0), "the base layer still reads the undropped input");
        Node drop = g.nodes().stream().filter(n -> n.opType().equals("Dropout")).findFirst().orElseThrow();
        assertTrue(g.consumers(drop.outputs().get(0)).stream().anyMatch(n -> n.inputs().contains(MODULES.get(0) + ".lora_A")));
    }

    @Test
    void unitScaleAddsNoMulNode() {
        Chain c1 = LinearModels.chain(MODULES.subList(0, 1), new int[] {6, 6}, ROWS, 5);
        rewrite(new LoraMethod().configure(MapHyperParameters.empty()), c1, 1);
        assertEquals(0, c1.graph().nodes().stream().filter(n -> n.opType().equals("Mul")).count());
        Chain c2 = LinearModels.chain(MODULES.subList(0, 1), new int[] {6, 6}, ROWS, 5);
        rewrite(new LoraMethod().configure(MapHyperParameters.of("alpha", 16)), c2, 1);
        assertEquals(1, c2.graph().nodes().stream().filter(n -> n.opType().equals("Mul")).count());
        assertNotEquals(c1.graph().nodes().size(), c2.graph().nodes().size());
    }
}
