package org.peft4j.engine.autodiff;

import java.util.List;
import java.util.Objects;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;

/**
 * Appends loss functions to a graph, in operators that {@link GradientBuilder} differentiates.
 *
 * <p>Contract: each method appends nodes to {@code graph} and returns the name of the scalar loss
 * value; it does not add graph outputs.
 */
public final class Losses {

    private Losses() {
    }

    /**
     * The mean squared error {@code mean((prediction - target)^2)} over all elements, spelled as
     * {@code Sub}, {@code Mul} and {@code ReduceMean}.
     *
     * @param prediction a float value
     * @param target a value of the same type, broadcastable to {@code prediction}
     */
    public static String meanSquaredError(Graph graph, String prediction, String target) {
        Objects.requireNonNull(graph, "graph");
        String diff = append(graph, "mse_diff", "Sub", List.of(prediction, target));
        String sq = append(graph, "mse_sq", "Mul", List.of(diff, diff));
        return append(graph, "mse_loss", "ReduceMean", List.of(sq), new Attribute.Int("keepdims", 0));
    }

    /**
     * The mean softmax cross-entropy of {@code logits} {@code [N, C]} against class indices
     * {@code labels} {@code [N]} (int64), as one {@code SoftmaxCrossEntropyLoss} node.
     *
     * @param ignoreIndex a label value whose rows are left out of the mean, or null for none
     */
    public static String softmaxCrossEntropy(Graph graph, String logits, String labels, Long ignoreIndex) {
        Objects.requireNonNull(graph, "graph");
        String out = graph.uniqueName("ce_loss");
        List<Attribute> attrs = ignoreIndex == null ? List.of(new Attribute.Str("reduction", "mean"))
                : List.of(new Attribute.Str("reduction", "mean"), new Attribute.Int("ignore_index", ignoreIndex));
        graph.addNode(new Node(graph.uniqueName("SoftmaxCrossEntropyLoss"), "SoftmaxCrossEntropyLoss", "", List.of(logits, labels),
                List.of(out), attrs));
        return out;
    }

    private static String append(Graph graph, String name, String op, List<String> inputs, Attribute... attrs) {
        String out = graph.uniqueName(name);
        graph.addNode(new Node(graph.uniqueName(op), op, "", inputs, List.of(out), List.of(attrs)));
        return out;
    }
}
