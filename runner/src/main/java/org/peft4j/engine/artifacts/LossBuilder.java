package org.peft4j.engine.artifacts;

import java.util.List;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.ValueInfo;

/**
 * Adds the training loss to a model graph.
 *
 * <p>Inputs added: {@value #LABELS} (int64 {@code [B]} class indices for classification, float
 * {@code [B]} targets for regression) and {@value #EXAMPLE_WEIGHT} (float {@code [B]}: 1 for a real
 * example, 0 for the padding of a last partial batch). Output value {@value #LOSS}, a float scalar:
 * <pre>
 *   classification: loss = sum_i w_i CE(logits_i, label_i) / sum_i w_i
 *   regression:     loss = sum_i w_i (logits_i - target_i)^2 / sum_i w_i
 * </pre>
 * so padded examples do not contribute, and a full batch gives the usual mean loss. Every batch
 * must hold at least one real example.
 */
public final class LossBuilder {

    /** Input: labels or regression targets. */
    public static final String LABELS = "labels";
    /** Input: per-example weight, 0 masks an example out. */
    public static final String EXAMPLE_WEIGHT = "example_weight";
    /** Output: the scalar loss. */
    public static final String LOSS = "loss";

    private LossBuilder() {
    }

    /**
     * Adds the inputs and the loss nodes to {@code graph}; returns {@value #LOSS}.
     *
     * @param graph the model graph, changed in place
     * @param logits the head output {@code [B, C]} ({@code [B, 1]} for regression)
     * @param task the task kind
     * @param batchSize B
     */
    public static String addLoss(Graph graph, String logits, TaskType task, int batchSize) {
        for (String reserved : List.of(LABELS, EXAMPLE_WEIGHT, LOSS)) {
            if (graph.isInput(reserved) || graph.producer(reserved) != null || graph.initializer(reserved) != null) {
                throw new IllegalArgumentException("graph '" + graph.name() + "' already has a value named '" + reserved
                        + "', which the training loss reserves");
            }
        }
        long[] b = {batchSize};
        graph.addInput(new ValueInfo(EXAMPLE_WEIGHT, DataType.FLOAT, b));
        String perExample;
        if (task == TaskType.CLASSIFICATION) {
            graph.addInput(new ValueInfo(LABELS, DataType.INT64, b));
            String ce = graph.uniqueName("per_example_loss");
            graph.addNode(new Node(graph.uniqueName("SoftmaxCrossEntropyLoss"), "SoftmaxCrossEntropyLoss", "", List.of(logits, LABELS),
                    List.of(ce), List.of(new Attribute.Str("reduction", "none"))));
            perExample = ce;
        } else {
            graph.addInput(new ValueInfo(LABELS, DataType.FLOAT, b));
            String pred = graph.reshape(logits, batchSize);
            String diff = graph.sub(pred, LABELS);
            perExample = graph.mul(diff, diff);
        }
        String weighted = graph.mul(perExample, EXAMPLE_WEIGHT);
        String total = graph.op("ReduceSum", List.of(weighted), new Attribute.Int("keepdims", 0));
        String count = graph.op("ReduceSum", List.of(EXAMPLE_WEIGHT), new Attribute.Int("keepdims", 0));
        String mean = graph.div(total, count);
        graph.addNode(new Node(graph.uniqueName("Identity"), "Identity", "", List.of(mean), List.of(LOSS), List.of()));
        return LOSS;
    }
}
