package org.peft4j.api.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;

/**
 * Builders of linear layers for plugin tests: encoder-shaped layer lists (for targeting and
 * parameter counts, with no weights) and tiny runnable graphs of chained linear layers (for
 * checking rewrites and merges with {@link ReferenceEvaluator}).
 */
public final class LinearModels {

    /** The module-name suffixes of the six linear layers of a BERT block, in graph order. */
    public static final List<String> BERT_BLOCK = List.of("attention.self.query", "attention.self.key", "attention.self.value",
            "attention.output.dense", "intermediate.dense", "output.dense");

    private LinearModels() {
    }

    /**
     * The {@code 6 · layers} linear layers of a BERT-style encoder ({@code encoder.layer.<i>.<suffix>}),
     * without any graph: query, key, value and attention output are {@code hidden × hidden}, the
     * intermediate dense {@code hidden × ffn}, the output dense {@code ffn × hidden}. Value names are
     * distinct per layer, so adapters can rewrite an empty {@link Graph} with them.
     */
    public static List<LinearLayer> bertLayers(int layers, int hidden, int ffn) {
        List<LinearLayer> result = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            String p = "encoder.layer." + i + ".";
            for (String s : BERT_BLOCK) {
                int in = s.equals("output.dense") ? ffn : hidden;
                int out = s.equals("intermediate.dense") ? ffn : hidden;
                String module = p + s;
                String input = switch (s) {
                    case "attention.output.dense" -> p + "context";
                    case "intermediate.dense" -> p + "attention_output";
                    case "output.dense" -> p + "intermediate_act";
                    default -> p + "hidden_in";
                };
                result.add(new LinearLayer(module, input, "onnx::MatMul_" + result.size(), module + ".bias", module + "_matmul",
                        in, out));
            }
        }
        return result;
    }

    /**
     * A runnable graph of linear layers.
     *
     * @param graph the graph: input {@code x} of shape {@code [rows, widths[0]]}, output {@code y}
     * @param layers the layers in order
     * @param weights each layer's base weight, {@code [in, out]} row-major
     * @param biases each layer's bias
     */
    public record Chain(Graph graph, List<LinearLayer> layers, List<float[]> weights, List<float[]> biases) {

        /** The input name. */
        public static final String INPUT = "x";
        /** The output name. */
        public static final String OUTPUT = "y";

        /**
         * {@code x} through the chain computed directly in double precision, each layer's weight
         * taken from {@code weights} (for example merged ones).
         */
        public double[] reference(double[] x, int rows, List<float[]> weights) {
            double[] h = x;
            for (int l = 0; l < layers.size(); l++) {
                LinearLayer layer = layers.get(l);
                float[] w = weights.get(l);
                float[] b = biases.get(l);
                double[] next = new double[rows * layer.out()];
                for (int r = 0; r < rows; r++) {
                    for (int o = 0; o < layer.out(); o++) {
                        double s = b[o];
                        for (int i = 0; i < layer.in(); i++) {
                            s += h[r * layer.in() + i] * w[i * layer.out() + o];
                        }
                        next[r * layer.out() + o] = s;
                    }
                }
                h = next;
            }
            return h;
        }
    }

    /**
     * A chain {@code y = (...((x W1 + b1) W2 + b2)...)} where layer {@code j} is named
     * {@code modules[j]} and maps {@code widths[j]} to {@code widths[j + 1]}; weights and biases
     * are uniform in [-0.5, 0.5) from {@code seed}.
     */
    public static Chain chain(List<String> modules, int[] widths, int rows, long seed) {
        if (widths.length != modules.size() + 1) {
            throw new IllegalArgumentException("need one more width than modules");
        }
        Random random = new Random(seed);
        Graph g = new Graph("chain", 17);
        g.addInput(new ValueInfo(Chain.INPUT, DataType.FLOAT, new long[] {rows, widths[0]}));
        List<LinearLayer> layers = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        String h = Chain.INPUT;
        for (int j = 0; j < modules.size(); j++) {
            int in = widths[j];
            int out = widths[j + 1];
            String module = modules.get(j);
            float[] w = new float[in * out];
            float[] b = new float[out];
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextFloat() - 0.5f;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextFloat() - 0.5f;
            }
            String wName = "onnx::MatMul_" + j;
            g.putInitializer(Tensor.ofFloats(wName, new long[] {in, out}, w));
            g.putInitializer(Tensor.ofFloats(module + ".bias", new long[] {out}, b));
            String mm = g.matMul(h, wName);
            boolean last = j == modules.size() - 1;
            String y = last ? Chain.OUTPUT : g.uniqueName(module + "_out");
            g.addNode(new org.peft4j.api.graph.Node(g.uniqueName("Add"), "Add", "", List.of(mm, module + ".bias"), List.of(y), List.of()));
            layers.add(new LinearLayer(module, h, wName, module + ".bias", mm, in, out));
            weights.add(w);
            biases.add(b);
            h = y;
        }
        g.addOutput(new ValueInfo(Chain.OUTPUT, DataType.FLOAT, new long[] {rows, widths[widths.length - 1]}));
        return new Chain(g, List.copyOf(layers), List.copyOf(weights), List.copyOf(biases));
    }
}
