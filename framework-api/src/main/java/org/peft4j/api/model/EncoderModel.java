package org.peft4j.api.model;

import java.nio.file.Path;
import java.util.List;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;

/**
 * A loaded pre-trained transformer encoder.
 *
 * <p>Contract: {@link #graph()} returns a fresh, independent copy on every call, with graph inputs
 * {@code input_ids}, {@code attention_mask} and (when {@link #usesTokenTypeIds()})
 * {@code token_type_ids}, all int64 of shape {@code [batch, sequence]}, and the output
 * {@link #outputName()} of shape {@code [batch, sequence, hiddenSize]}; input extents may be
 * symbolic (negative) until the engine specialises them. {@link #linearLayers} names every linear
 * layer of a graph returned by {@link #graph()}, in graph order.
 */
public interface EncoderModel {

    /** The provider-specific id, such as {@code minilm-l6}. */
    String id();

    /** The Hugging Face model id this model corresponds to, for exported adapter configs. */
    String huggingFaceName();

    /** A fresh copy of the encoder graph. */
    Graph graph();

    /** The name of the hidden-state output, usually {@code last_hidden_state}. */
    String outputName();

    /** The hidden width. */
    int hiddenSize();

    /** Whether the graph takes {@code token_type_ids}. */
    boolean usesTokenTypeIds();

    /** The linear layers of {@code graph}, a graph returned by {@link #graph()}. */
    List<LinearLayer> linearLayers(Graph graph);

    /** The tokenizer that matches the model; never null. */
    TextTokenizer tokenizer();

    /** The {@code tokenizer.json} file of the model, for export; null if the model has none. */
    Path tokenizerFile();
}
