package org.peft4j.zoo.models;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.api.model.TextTokenizer;

/**
 * An {@link EncoderModel} over a parsed encoder graph in the Hugging Face export layout.
 *
 * <p>Contract: the constructor checks the graph once: it must have the int64 inputs
 * {@code input_ids} and {@code attention_mask} (and may have {@code token_type_ids}), the output
 * {@code outputName}, and linear layers that {@link LinearLayers#find} can name; a violation is an
 * {@link IllegalArgumentException} naming the graph's source and what is missing. The parsed graph
 * is kept unchanged; {@link #graph()} returns a fresh {@link Graph#copy()} on every call (the
 * copies share the immutable weight tensors). The hidden size is the second extent of
 * {@code embeddings.word_embeddings.weight} when present, otherwise the input width of the first
 * linear layer. Thread-safe.
 */
public final class OnnxEncoder implements EncoderModel {

    /** The usual name of the hidden-state output of Hugging Face encoder exports. */
    public static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private final String id;
    private final String huggingFaceName;
    private final Graph graph;
    private final String outputName;
    private final int hiddenSize;
    private final boolean usesTokenTypeIds;
    private final TextTokenizer tokenizer;
    private final Path tokenizerFile;
    private final List<LinearLayer> layers;

    /**
     * @param id the provider-specific id
     * @param huggingFaceName the Hugging Face model id
     * @param graph the parsed graph; owned by this encoder from now on
     * @param source where the graph came from, for messages
     * @param outputName the hidden-state output
     * @param tokenizer the matching tokenizer
     * @param tokenizerFile its tokenizer.json, or null
     */
    public OnnxEncoder(String id, String huggingFaceName, Graph graph, String source, String outputName, TextTokenizer tokenizer,
            Path tokenizerFile) {
        this.id = Objects.requireNonNull(id, "id");
        this.huggingFaceName = Objects.requireNonNull(huggingFaceName, "huggingFaceName");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.outputName = Objects.requireNonNull(outputName, "outputName");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.tokenizerFile = tokenizerFile;
        for (String input : List.of("input_ids", "attention_mask")) {
            if (!graph.isInput(input)) {
                throw new IllegalArgumentException(source + ": the encoder graph has no input '" + input + "'; its inputs are "
                        + graph.inputs().stream().map(ValueInfo::name).toList());
            }
        }
        if (!graph.isOutput(outputName)) {
            throw new IllegalArgumentException(source + ": the encoder graph has no output '" + outputName + "'; its outputs are "
                    + graph.outputs().stream().map(ValueInfo::name).toList());
        }
        this.usesTokenTypeIds = graph.isInput("token_type_ids");
        try {
            this.layers = List.copyOf(LinearLayers.find(graph));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        Tensor embeddings = graph.initializer("embeddings.word_embeddings.weight");
        if (embeddings != null && embeddings.shape().length == 2) {
            this.hiddenSize = Math.toIntExact(embeddings.shape()[1]);
        } else if (!layers.isEmpty()) {
            this.hiddenSize = layers.get(0).in();
        } else {
            throw new IllegalArgumentException(source + ": cannot tell the hidden size: no embeddings.word_embeddings.weight and no linear layer");
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String huggingFaceName() {
        return huggingFaceName;
    }

    @Override
    public Graph graph() {
        synchronized (graph) {
            return graph.copy();
        }
    }

    @Override
    public String outputName() {
        return outputName;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public boolean usesTokenTypeIds() {
        return usesTokenTypeIds;
    }

    /**
     * The linear layers of {@code graph}. For a graph from {@link #graph()} that has not been
     * rewritten this is the list found at load time; otherwise the graph is searched again.
     */
    @Override
    public List<LinearLayer> linearLayers(Graph g) {
        List<LinearLayer> found = LinearLayers.find(g);
        return found.equals(layers) ? layers : found;
    }

    /** The linear layers of the encoder as loaded. */
    public List<LinearLayer> linearLayers() {
        return layers;
    }

    /** The number of the encoder's parameters, as {@link LinearLayers#parameterCount} counts them. */
    public long parameterCount() {
        synchronized (graph) {
            return LinearLayers.parameterCount(graph);
        }
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public Path tokenizerFile() {
        return tokenizerFile;
    }

    @Override
    public String toString() {
        return id + " (" + huggingFaceName + ", hidden " + hiddenSize + ", " + layers.size() + " linear layers)";
    }
}
