package org.peft4j.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.ort.OrtRuntime;
import org.peft4j.zoo.heads.DropoutFactory;
import org.peft4j.zoo.heads.Head;
import org.peft4j.zoo.heads.HeadSpec;
import org.peft4j.zoo.heads.Pooling;

/**
 * The model zoo's heads and masked losses, serialized by the engine and run in ONNX Runtime,
 * against the same computation written out in Java.
 */
class HeadOnnxRuntimeTest {

    private static final int B = 3;
    private static final int T = 4;
    private static final int H = 5;

    private final Random random = new Random(11);
    private final float[] hidden = new float[B * T * H];
    private final long[] mask = {1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1};

    HeadOnnxRuntimeTest() {
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (float) random.nextGaussian();
        }
    }

    private static Graph stub() {
        Graph g = new Graph("head-test", OnnxModelIO.OPSET);
        g.addInput(new ValueInfo("hidden", DataType.FLOAT, new long[] {B, T, H}));
        g.addInput(new ValueInfo("attention_mask", DataType.INT64, new long[] {B, T}));
        return g;
    }

    private Map<String, float[]> run(Graph g, Head head, int outputs, Object labels, float[] weights) throws OrtException {
        g.addOutput(new ValueInfo(head.logits(), DataType.FLOAT, new long[] {B, outputs}));
        g.addOutput(new ValueInfo(head.loss(), DataType.FLOAT, new long[0]));
        byte[] model = new OnnxModelIO().toBytes(g);
        OrtEnvironment env = OrtRuntime.environment();
        Map<String, OnnxTensor> in = new HashMap<>();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        // without optimisation: ONNX Runtime removes a Dropout whose mask output is unused, even in training mode
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        try (OrtSession session = env.createSession(model, options)) {
            in.put("hidden", OnnxTensor.createTensor(env, FloatBuffer.wrap(hidden), new long[] {B, T, H}));
            in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {B, T}));
            in.put(HeadSpec.LABELS, labels instanceof long[] l ? OnnxTensor.createTensor(env, LongBuffer.wrap(l), new long[] {B})
                    : OnnxTensor.createTensor(env, FloatBuffer.wrap((float[]) labels), new long[] {B}));
            in.put(HeadSpec.EXAMPLE_WEIGHT, OnnxTensor.createTensor(env, FloatBuffer.wrap(weights), new long[] {B}));
            try (OrtSession.Result r = session.run(in)) {
                Map<String, float[]> out = new HashMap<>();
                float[] logits = new float[B * outputs];
                ((OnnxTensor) r.get(head.logits()).get()).getFloatBuffer().get(logits);
                out.put("logits", logits);
                out.put("loss", new float[] {((OnnxTensor) r.get(head.loss()).get()).getFloatBuffer().get(0)});
                return out;
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /** The head's forward pass in double precision, from its parameters' initial values. */
    private double[][] reference(Head head, Pooling pooling, int outputs) {
        float[] w1 = head.parameters().get(0).initialValues();
        float[] b1 = head.parameters().get(1).initialValues();
        float[] w2 = head.parameters().get(2).initialValues();
        float[] b2 = head.parameters().get(3).initialValues();
        double[][] logits = new double[B][outputs];
        for (int b = 0; b < B; b++) {
            double[] pooled = new double[H];
            double count = 0;
            for (int t = 0; t < T; t++) {
                boolean use = pooling == Pooling.CLS ? t == 0 : mask[b * T + t] == 1;
                if (use) {
                    count++;
                    for (int h = 0; h < H; h++) {
                        pooled[h] += hidden[(b * T + t) * H + h];
                    }
                }
            }
            for (int h = 0; h < H; h++) {
                pooled[h] /= count;
            }
            double[] x = new double[H];
            for (int o = 0; o < H; o++) {
                double s = b1[o];
                for (int i = 0; i < H; i++) {
                    s += pooled[i] * w1[i * H + o];
                }
                x[o] = Math.tanh(s);
            }
            for (int o = 0; o < outputs; o++) {
                double s = b2[o];
                for (int i = 0; i < H; i++) {
                    s += x[i] * w2[i * outputs + o];
                }
                logits[b][o] = s;
            }
        }
        return logits;
    }

    @Test
    void classificationWithMeanPoolingAndAMaskedRow() throws OrtException {
        for (Pooling pooling : Pooling.values()) {
            Graph g = stub();
            HeadSpec spec = new HeadSpec(TaskType.CLASSIFICATION, pooling, 0.1, 3);
            Head head = spec.addLoss(g, spec.build(g, "hidden", "attention_mask", H, 3, DropoutFactory.IDENTITY), B);
            long[] labels = {2, 0, 1};
            float[] weights = {1, 1, 0}; // the last row is padding of a partial batch
            Map<String, float[]> out = run(g, head, 3, labels, weights);
            double[][] expected = reference(head, pooling, 3);
            double loss = 0;
            for (int b = 0; b < 2; b++) {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : expected[b]) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (double v : expected[b]) {
                    sum += Math.exp(v - max);
                }
                loss += -(expected[b][(int) labels[b]] - max - Math.log(sum));
            }
            loss /= 2;
            for (int b = 0; b < B; b++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected[b][c], out.get("logits")[b * 3 + c], 1e-5, pooling + " logit " + b + "," + c);
                }
            }
            assertEquals(loss, out.get("loss")[0], 1e-5, pooling + " loss over the two real rows");
        }
    }

    @Test
    void regressionLossIsMaskedMeanSquaredError() throws OrtException {
        Graph g = stub();
        HeadSpec spec = new HeadSpec(TaskType.REGRESSION, Pooling.MEAN, 0.0, 4);
        Head head = spec.addLoss(g, spec.build(g, "hidden", "attention_mask", H, 1, DropoutFactory.IDENTITY), B);
        float[] targets = {0.5f, -1f, 3f};
        float[] weights = {1, 0, 1};
        Map<String, float[]> out = run(g, head, 1, targets, weights);
        double[][] expected = reference(head, Pooling.MEAN, 1);
        double loss = (Math.pow(expected[0][0] - 0.5, 2) + Math.pow(expected[2][0] - 3, 2)) / 2;
        assertEquals(loss, out.get("loss")[0], 1e-5);
        assertEquals(expected[1][0], out.get("logits")[1], 1e-5);
    }

    @Test
    void trainingDropoutRunsAndIsSeeded() throws OrtException {
        float[][] logits = new float[2][];
        for (int i = 0; i < 2; i++) {
            Graph g = stub();
            HeadSpec spec = new HeadSpec(TaskType.CLASSIFICATION, Pooling.CLS, 0.5, 3);
            Head head = spec.addLoss(g, spec.build(g, "hidden", "attention_mask", H, 2, DropoutFactory.onnxTraining(9)), B);
            logits[i] = run(g, head, 2, new long[] {0, 1, 0}, new float[] {1, 1, 1}).get("logits");
        }
        assertArrayEquals(logits[0], logits[1], "the same dropout seeds give the same masks");
        Graph g = stub();
        HeadSpec spec = new HeadSpec(TaskType.CLASSIFICATION, Pooling.CLS, 0.5, 3);
        Head head = spec.addLoss(g, spec.build(g, "hidden", "attention_mask", H, 2, DropoutFactory.IDENTITY), B);
        float[] eval = run(g, head, 2, new long[] {0, 1, 0}, new float[] {1, 1, 1}).get("logits");
        boolean differs = false;
        for (int i = 0; i < eval.length; i++) {
            differs |= Math.abs(eval[i] - logits[0][i]) > 1e-6;
        }
        assertEquals(true, differs, "training dropout changes the logits; evaluation does not drop");
        assertEquals(List.of("pre_classifier.weight", "pre_classifier.bias", "classifier.weight", "classifier.bias"), head.parameterNames());
    }
}
