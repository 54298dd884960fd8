package org.peft4j.runner.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.adapters.Dropouts;
import org.peft4j.engine.ort.GraphRunner;
import org.peft4j.engine.shape.ShapeInference;

/**
 * Runs a model with adapters and head on a whole split with given parameter values, in fixed-size
 * batches (the last one padded and cut off), and returns the logits.
 */
public final class SplitInference {

    private static final List<String> BATCH_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");

    private SplitInference() {
    }

    /**
     * The logits of every example of {@code split}, row-major {@code [n, numOutputs]}.
     *
     * @param model the training graph (adapters and head; any batch extents); not modified
     * @param logits the name of the logits value
     * @param numOutputs classes, or 1 for regression
     * @param values parameter values to use instead of the graph's initial ones
     * @param split the tokenised split
     * @param batchSize examples per run
     */
    public static float[] logits(Graph model, String logits, int numOutputs, Map<String, float[]> values, EncodedSplits.Tokenized split,
            int batchSize) {
        Graph g = model.copy();
        g.setName(model.name() + "_inference");
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            Tensor old = g.initializer(e.getKey());
            if (old == null) {
                throw new IllegalArgumentException("graph '" + model.name() + "' has no parameter '" + e.getKey() + "'");
            }
            g.putInitializer(Tensor.ofFloats(e.getKey(), old.shape(), e.getValue()));
        }
        for (ValueInfo out : List.copyOf(g.outputs())) {
            g.removeOutput(out.name());
        }
        g.addOutput(new ValueInfo(logits, DataType.FLOAT, new long[] {batchSize, numOutputs}));
        Dropouts.toIdentity(g);
        int t = split.length();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (ValueInfo in : g.inputs()) {
            if (BATCH_INPUTS.contains(in.name())) {
                shapes.put(in.name(), new long[] {batchSize, t});
            }
        }
        for (ValueInfo in : List.copyOf(g.inputs())) {
            if (!BATCH_INPUTS.contains(in.name())) {
                g.removeInput(in.name());
            }
        }
        ShapeInference.specialize(g, shapes);
        int n = split.size();
        float[] result = new float[n * numOutputs];
        try (GraphRunner runner = new GraphRunner(g)) {
            long[] ids = new long[batchSize * t];
            long[] mask = new long[batchSize * t];
            long[] types = new long[batchSize * t];
            for (int start = 0; start < n; start += batchSize) {
                int rows = Math.min(batchSize, n - start);
                for (int r = 0; r < batchSize; r++) {
                    int src = start + Math.min(r, rows - 1);
                    System.arraycopy(split.inputIds(), src * t, ids, r * t, t);
                    System.arraycopy(split.attentionMask(), src * t, mask, r * t, t);
                    System.arraycopy(split.tokenTypeIds(), src * t, types, r * t, t);
                }
                Map<String, Tensor> feed = new LinkedHashMap<>();
                long[] shape = {batchSize, t};
                feed.put("input_ids", Tensor.ofLongs("input_ids", shape, ids));
                feed.put("attention_mask", Tensor.ofLongs("attention_mask", shape, mask));
                if (shapes.containsKey("token_type_ids")) {
                    feed.put("token_type_ids", Tensor.ofLongs("token_type_ids", shape, types));
                }
                float[] out = runner.run(feed).get(logits).floats();
                System.arraycopy(out, 0, result, start * numOutputs, rows * numOutputs);
            }
        }
        return result;
    }
}
