package org.peft4j.runner.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Tensor;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.shape.ShapeInference;
import org.peft4j.zoo.models.LinearLayers;
import org.peft4j.zoo.models.TinyBertGraph;

/**
 * A tiny BERT encoder prepared the way the engine prepares a pre-trained one, for contract tests
 * that must run in milliseconds.
 *
 * <p>The graph comes from the model zoo's {@link TinyBertGraph} (the exact operator pattern of the
 * Hugging Face opset-11 exports that peft4j fine-tunes), goes through ONNX bytes and
 * {@link OnnxModelIO#read(byte[], String, java.nio.file.Path)} (which upgrades it to the engine's
 * opset) and is specialised by {@link ShapeInference#specialize} to a fixed batch and sequence
 * length; its linear layers are found by the zoo's {@link LinearLayers#find}, so they carry the
 * module names of BERT ({@code encoder.layer.<i>.attention.self.query}, ...,
 * {@code encoder.layer.<i>.output.dense}). The input is one fixed batch of token ids, token types
 * and an attention mask whose last tokens are padding.
 *
 * <p>Contract: the same arguments always give the same model, weights and inputs included.
 */
public final class TinyEncoder {

    /** The encoder output the checks compare, {@code [batch, sequence, hidden]}. */
    public static final String OUTPUT = "last_hidden_state";

    /**
     * A prepared model: the graph, its linear layers as the model zoo finds them, and one input.
     *
     * @param graph the specialised encoder graph
     * @param layers its linear layers in graph order; never empty
     * @param inputs a value for every graph input
     * @param output the name of the graph output the checks compare
     */
    public record Model(Graph graph, List<LinearLayer> layers, Map<String, Tensor> inputs, String output) {

        public Model {
            Objects.requireNonNull(graph, "graph");
            layers = List.copyOf(layers);
            inputs = Map.copyOf(inputs);
            Objects.requireNonNull(output, "output");
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("graph '" + graph.name() + "' has no linear layer");
            }
            if (!graph.isOutput(output)) {
                throw new IllegalArgumentException("'" + output + "' is not an output of graph '" + graph.name() + "'");
            }
        }
    }

    private TinyEncoder() {
    }

    /**
     * Two layers, hidden 16, two heads, feed-forward 32 (so the FFN layers have {@code in != out}),
     * vocabulary 50, batch 2, sequence 5; weights from {@code seed}.
     */
    public static Model model(long seed) {
        return model(new TinyBertGraph.Config(2, 16, 2, 32, 50, 16, seed, 0.2), 2, 5);
    }

    /**
     * A model of {@code config} specialised to {@code batch × sequence} tokens.
     *
     * @throws IllegalArgumentException when the sequence is longer than the position embeddings
     */
    public static Model model(TinyBertGraph.Config config, int batch, int sequence) {
        Objects.requireNonNull(config, "config");
        if (batch < 1 || sequence < 2 || sequence > config.maxPositions()) {
            throw new IllegalArgumentException("need batch >= 1 and 2 <= sequence <= " + config.maxPositions() + ", got " + batch + " x "
                    + sequence);
        }
        OnnxModelIO io = new OnnxModelIO();
        Graph graph;
        try {
            graph = io.read(io.toBytes(TinyBertGraph.build(config)), "tiny-bert", null);
        } catch (IOException e) {
            throw new UncheckedIOException("the generated tiny BERT does not read back", e);
        }
        long[] shape = {batch, sequence};
        ShapeInference.specialize(graph, Map.of("input_ids", shape, "attention_mask", shape, "token_type_ids", shape));
        Random random = new Random(config.seed() + 1);
        long[] ids = new long[batch * sequence];
        long[] types = new long[ids.length];
        long[] mask = new long[ids.length];
        for (int b = 0; b < batch; b++) {
            int length = sequence - (b % 2);
            for (int t = 0; t < sequence; t++) {
                int i = b * sequence + t;
                ids[i] = t < length ? 1 + random.nextInt(config.vocab() - 1) : 0;
                types[i] = t >= sequence / 2 ? 1 : 0;
                mask[i] = t < length ? 1 : 0;
            }
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("input_ids", Tensor.ofLongs("input_ids", shape, ids));
        inputs.put("attention_mask", Tensor.ofLongs("attention_mask", shape, mask));
        inputs.put("token_type_ids", Tensor.ofLongs("token_type_ids", shape, types));
        return new Model(graph, LinearLayers.find(graph), inputs, OUTPUT);
    }
}
