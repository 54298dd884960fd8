package org.peft4j.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.Graph;
import org.peft4j.engine.onnx.OnnxModelIO;

/** One AdamW step of the ONNX optimizer graph against a plain Java implementation. */
class AdamWGraphBuilderTest {

    /** PyTorch's clip_grad_norm_ followed by AdamW, in double precision. */
    static final class ReferenceAdamW {
        static double[][] step(List<OptimizedParameter> params, List<ParameterGroup> groups, AdamWSettings s, double[] lrs, long t,
                float[][] p, float[][] g, float[][] m, float[][] v) {
            double sq = 0;
            for (float[] gi : g) {
                for (float x : gi) {
                    sq += (double) x * x;
                }
            }
            double norm = Math.sqrt(sq);
            double clip = s.maxGradNorm() > 0 ? Math.min(1.0, s.maxGradNorm() / (norm + 1e-6)) : 1.0;
            double bc1 = 1 - Math.pow(s.beta1(), t);
            double bc2 = 1 - Math.pow(s.beta2(), t);
            double[][] out = new double[params.size() * 3 + 1][];
            for (int i = 0; i < params.size(); i++) {
                int k = params.get(i).group();
                double lr = lrs[k];
                double wd = groups.get(k).weightDecay();
                int n = p[i].length;
                double[] np = new double[n];
                double[] nm = new double[n];
                double[] nv = new double[n];
                for (int j = 0; j < n; j++) {
                    double gj = g[i][j] * clip;
                    double pj = p[i][j] * (1 - lr * wd);
                    nm[j] = s.beta1() * m[i][j] + (1 - s.beta1()) * gj;
                    nv[j] = s.beta2() * v[i][j] + (1 - s.beta2()) * gj * gj;
                    double denom = Math.sqrt(nv[j]) / Math.sqrt(bc2) + s.epsilon();
                    np[j] = pj - (lr / bc1) * nm[j] / denom;
                }
                out[3 * i] = np;
                out[3 * i + 1] = nm;
                out[3 * i + 2] = nv;
            }
            out[out.length - 1] = new double[] {norm};
            return out;
        }
    }

    private static void check(double maxGradNorm, float gradScale, long t) throws Exception {
        List<OptimizedParameter> params = List.of(new OptimizedParameter("layer.lora_A", new long[] {3, 4}, 0),
                new OptimizedParameter("layer.lora_B", new long[] {4, 3}, 0), new OptimizedParameter("head.bias", new long[] {2}, 1),
                new OptimizedParameter("scalar", new long[0], 1));
        List<ParameterGroup> groups = List.of(new ParameterGroup("adapter", 1e-2, 0.1), new ParameterGroup("head", 4e-2, 0.0));
        AdamWSettings s = AdamWSettings.defaults(maxGradNorm);
        Graph graph = AdamWGraphBuilder.build(params, groups, s);
        double[] lrs = {7e-3, 3e-2};
        Random r = new Random(11);
        int np = params.size();
        float[][] p = new float[np][];
        float[][] g = new float[np][];
        float[][] m = new float[np][];
        float[][] v = new float[np][];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OrtSession session = env.createSession(new OnnxModelIO().toBytes(graph), new OrtSession.SessionOptions())) {
            inputs.put(AdamWGraphBuilder.LEARNING_RATE, OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {(float) lrs[0], (float) lrs[1]}),
                    new long[] {2}));
            inputs.put(AdamWGraphBuilder.STEP, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {t}), new long[0]));
            for (int i = 0; i < np; i++) {
                int n = (int) params.get(i).elementCount();
                p[i] = rand(r, n, 1f);
                g[i] = rand(r, n, gradScale);
                m[i] = rand(r, n, 0.01f);
                v[i] = new float[n];
                for (int j = 0; j < n; j++) {
                    v[i][j] = r.nextFloat() * 1e-3f;
                }
                String name = params.get(i).name();
                long[] shape = params.get(i).shape();
                inputs.put(name, OnnxTensor.createTensor(env, FloatBuffer.wrap(p[i]), shape));
                inputs.put(AdamWGraphBuilder.gradName(name), OnnxTensor.createTensor(env, FloatBuffer.wrap(g[i]), shape));
                inputs.put(AdamWGraphBuilder.firstMomentName(name), OnnxTensor.createTensor(env, FloatBuffer.wrap(m[i]), shape));
                inputs.put(AdamWGraphBuilder.secondMomentName(name), OnnxTensor.createTensor(env, FloatBuffer.wrap(v[i]), shape));
            }
            double[][] expected = ReferenceAdamW.step(params, groups, s, lrs, t, p, g, m, v);
            try (OrtSession.Result result = session.run(inputs)) {
                for (int i = 0; i < np; i++) {
                    String name = params.get(i).name();
                    assertClose(expected[3 * i], result, AdamWGraphBuilder.updatedName(name));
                    assertClose(expected[3 * i + 1], result, AdamWGraphBuilder.updatedName(AdamWGraphBuilder.firstMomentName(name)));
                    assertClose(expected[3 * i + 2], result, AdamWGraphBuilder.updatedName(AdamWGraphBuilder.secondMomentName(name)));
                }
                float norm = ((OnnxTensor) result.get(AdamWGraphBuilder.GRAD_NORM).get()).getFloatBuffer().get(0);
                assertEquals(expected[expected.length - 1][0], norm, 1e-5 * expected[expected.length - 1][0]);
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] rand(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian() * scale;
        }
        return a;
    }

    private static void assertClose(double[] expected, OrtSession.Result result, String output) {
        FloatBuffer actual = ((OnnxTensor) result.get(output).orElseThrow(() -> new AssertionError("missing output " + output)))
                .getFloatBuffer();
        assertEquals(expected.length, actual.remaining(), output);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual.get(j), 1e-6, output + "[" + j + "]");
        }
    }

    @Test
    void firstStepWithClippingMatchesReference() throws Exception {
        check(0.1, 1f, 1);
    }

    @Test
    void laterStepWithoutClippingMatchesReference() throws Exception {
        check(0, 0.01f, 37);
    }

    @Test
    void clippingInactiveWhenNormBelowLimit() throws Exception {
        check(100.0, 0.01f, 5);
    }

    @Test
    void rejectsUnknownGroupAndDuplicates() {
        List<ParameterGroup> groups = List.of(new ParameterGroup("adapter", 1e-3, 0));
        assertThrows(IllegalArgumentException.class, () -> AdamWGraphBuilder.build(
                List.of(new OptimizedParameter("a", new long[] {1}, 1)), groups, AdamWSettings.defaults(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdamWGraphBuilder.build(
                List.of(new OptimizedParameter("a", new long[] {1}, 0), new OptimizedParameter("a", new long[] {1}, 0)), groups,
                AdamWSettings.defaults(0)));
        assertTrue(e.getMessage().contains("'a'"));
    }
}
