package org.peft4j.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.api.method.AdapterParameter;

/**
 * A tiny generated encoder for engine tests: frozen embeddings, {@code layers} frozen dense
 * layers with a LoRA-style low-rank path each ({@code y = tanh(x W + b + x A B)}), masked mean
 * pooling and a linear classifier head. And a synthetic task it can learn: every token of a
 * class-0 sequence comes from the lower half of the vocabulary, of a class-1 sequence from the
 * upper half; sequences have random lengths and padding.
 */
public final class TinyEncoder {

    public static final int VOCAB = 32;
    public static final int HIDDEN = 16;
    public static final int RANK = 4;
    public static final int LABELS = 2;

    public final Graph graph;
    public final List<AdapterParameter> adapterParameters = new ArrayList<>();
    public final List<String> headParameters = List.of("classifier.weight", "classifier.bias");
    public final String logits;

    public TinyEncoder(int layers, long seed) {
        this(layers, seed, LABELS);
    }

    /** With {@code outputs} head outputs (1 for regression). */
    public TinyEncoder(int layers, long seed, int outputs) {
        Random r = new Random(seed);
        Graph g = new Graph("tiny-encoder", 17);
        g.addInput(new ValueInfo("input_ids", DataType.INT64, new long[] {-1, -1}));
        g.addInput(new ValueInfo("attention_mask", DataType.INT64, new long[] {-1, -1}));
        g.putInitializer(Tensor.ofFloats("embeddings.word", new long[] {VOCAB, HIDDEN}, gaussian(r, VOCAB * HIDDEN, 1f)));
        String x = g.op("Gather", List.of("embeddings.word", "input_ids"), new Attribute.Int("axis", 0));
        for (int l = 0; l < layers; l++) {
            String module = "encoder.layer." + l + ".dense";
            g.putInitializer(Tensor.ofFloats(module + ".weight", new long[] {HIDDEN, HIDDEN}, gaussian(r, HIDDEN * HIDDEN, 0.3f)));
            g.putInitializer(Tensor.ofFloats(module + ".bias", new long[] {HIDDEN}, gaussian(r, HIDDEN, 0.1f)));
            String a = module + ".lora_A";
            String b = module + ".lora_B";
            g.putInitializer(Tensor.ofFloats(a, new long[] {HIDDEN, RANK}, uniform(r, HIDDEN * RANK, (float) (1 / Math.sqrt(HIDDEN)))));
            g.putInitializer(Tensor.ofFloats(b, new long[] {RANK, HIDDEN}, new float[RANK * HIDDEN]));
            adapterParameters.add(new AdapterParameter(a, module, "lora_A", new long[] {HIDDEN, RANK}, true, true));
            adapterParameters.add(new AdapterParameter(b, module, "lora_B", new long[] {RANK, HIDDEN}, true, true));
            String base = g.add(g.matMul(x, module + ".weight"), module + ".bias");
            String delta = g.matMul(g.matMul(x, a), b);
            x = g.op("Tanh", List.of(g.add(base, delta)));
        }
        String mask = g.op("Cast", List.of("attention_mask"), new Attribute.Int("to", DataType.FLOAT.onnxCode()));
        String mask3 = g.op("Unsqueeze", List.of(mask, g.constant(Tensor.vector("axes", 2))));
        String summed = g.op("ReduceSum", List.of(g.mul(x, mask3), g.constant(Tensor.vector("axes", 1))), new Attribute.Int("keepdims", 0));
        String count = g.op("ReduceSum", List.of(mask, g.constant(Tensor.vector("axes", 1))), new Attribute.Int("keepdims", 1));
        String pooled = g.div(summed, count);
        g.putInitializer(Tensor.ofFloats("classifier.weight", new long[] {HIDDEN, outputs}, uniform(r, HIDDEN * outputs, 0.25f)));
        g.putInitializer(Tensor.ofFloats("classifier.bias", new long[] {outputs}, new float[outputs]));
        logits = g.add(g.matMul(pooled, "classifier.weight"), "classifier.bias");
        g.addOutput(new ValueInfo(logits, DataType.FLOAT, new long[] {-1, outputs}));
        this.graph = g;
    }

    private static float[] gaussian(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian() * scale;
        }
        return a;
    }

    private static float[] uniform(Random r, int n, float bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * bound;
        }
        return a;
    }

    /** {@code n} examples of the synthetic task with sequence length {@code t}. */
    public static EncodedDataset task(int n, int t, long seed) {
        Random r = new Random(seed);
        long[] ids = new long[n * t];
        long[] mask = new long[n * t];
        int[] labels = new int[n];
        int half = (VOCAB - 2) / 2;
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(LABELS);
            int len = 3 + r.nextInt(t - 2);
            for (int k = 0; k < len; k++) {
                ids[i * t + k] = 2 + labels[i] * half + r.nextInt(half);
                mask[i * t + k] = 1;
            }
        }
        return EncodedDataset.classification(t, ids, mask, null, labels);
    }

    /** A spec builder for this model with the given recipe. */
    public TrainingSpec.Builder spec(TrainingHyperparameters hp, java.nio.file.Path dir) {
        return TrainingSpec.builder().setModel(graph, logits).setTask(TaskType.CLASSIFICATION, LABELS)
                .setAdapterParameters(adapterParameters).setHeadParameters(headParameters)
                .setData(task(60, 8, 1), task(24, 8, 2)).setHyperparameters(hp).setArtifactDirectory(dir.resolve("artifacts"))
                .optExecution(new org.peft4j.engine.ort.ExecutionSettings(org.peft4j.engine.ort.Device.CPU,
                        org.peft4j.engine.ort.DeviceFallback.CPU, 2, 0));
    }
}
