package org.peft4j.zoo.heads;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;

/**
 * A sequence-classification or sequence-regression head, and its loss, built into an encoder
 * graph with the plain {@link Graph} API.
 *
 * <p>The head, shaped like Hugging Face's {@code RobertaClassificationHead}:
 * <pre>
 *   pooled = pool(hidden [B, T, H], attention_mask [B, T])          -- CLS or masked mean, [B, H]
 *   x      = tanh(dropout(pooled) . pre_classifier.weight + pre_classifier.bias)       -- [B, H]
 *   logits = dropout(x) . classifier.weight + classifier.bias             -- [B, numLabels]
 * </pre>
 * Tanh follows BERT's pooler, which the encoder exports used here leave out. Regression is the
 * same head with one output. Weights are stored {@code [in, out]} and drawn from
 * {@code N(0, 0.02^2)} (BERT's initializer range) by one {@link Random} seeded with {@link #seed}:
 * first {@code pre_classifier.weight}, then {@code classifier.weight}, row-major; biases start at
 * 0. Both dropouts have probability {@link #dropout} and are emitted by the caller's
 * {@link DropoutFactory}, so the engine builds a training graph (dropout) and an evaluation graph
 * (identity) from the same spec.
 *
 * <p>The loss ({@link #addLoss}) reads two new graph inputs, {@value #LABELS} (int64 class
 * indices for classification, float targets for regression, shape {@code [B]}) and
 * {@value #EXAMPLE_WEIGHT} (float {@code [B]}, 1 for a real example and 0 for a padded row of a
 * last partial batch), and computes the weighted mean
 * <pre>
 *   classification: loss = sum_i w_i CE_i / sum_i w_i,   CE_i = SoftmaxCrossEntropyLoss(logits_i, label_i)
 *   regression:     loss = sum_i w_i (logits_i - target_i)^2 / sum_i w_i
 * </pre>
 * so padded rows never count and a full batch gives the usual mean. A batch needs at least one
 * real example. These are the names and the formula of the engine's own loss builder, so either
 * can be used.
 *
 * <p>Contract: the graph's opset must be 13 or later (ReduceSum and Unsqueeze take axes as
 * inputs); the names {@code pre_classifier.*}, {@code classifier.*}, {@value #LABELS},
 * {@value #EXAMPLE_WEIGHT} and {@value #LOSS} must be unused. Violations are
 * {@link IllegalArgumentException}s naming the graph and value.
 *
 * @param task classification or regression
 * @param pooling how token states are pooled
 * @param dropout the head's dropout probability, in [0, 1)
 * @param seed the seed of the initial weights
 */
public record HeadSpec(TaskType task, Pooling pooling, double dropout, long seed) {

    /** Input: class indices or regression targets, {@code [B]}. */
    public static final String LABELS = "labels";
    /** Input: per-example weight {@code [B]}; 0 masks a padded row out of the loss. */
    public static final String EXAMPLE_WEIGHT = "example_weight";
    /** Output value: the scalar loss. */
    public static final String LOSS = "loss";
    /** The preferred name of the logits value. */
    public static final String LOGITS = "logits";
    /** The standard deviation of the initial weights. */
    public static final double INIT_STD = 0.02;

    public HeadSpec {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(pooling, "pooling");
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("head dropout must be in [0, 1), got " + dropout);
        }
    }

    /**
     * Adds the head to {@code graph}.
     *
     * @param graph the encoder graph, changed in place
     * @param hiddenState the encoder output {@code [B, T, hidden]}
     * @param attentionMask the int64 attention mask {@code [B, T]} (used by mean pooling)
     * @param hidden the hidden width H
     * @param numLabels classes for classification (at least 2); 1 for regression
     * @param dropoutFactory the engine's dropout hook
     * @return the logits and the head's parameters (no loss yet)
     */
    public Head build(Graph graph, String hiddenState, String attentionMask, int hidden, int numLabels, DropoutFactory dropoutFactory) {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(hiddenState, "hiddenState");
        Objects.requireNonNull(attentionMask, "attentionMask");
        Objects.requireNonNull(dropoutFactory, "dropoutFactory");
        if (graph.opset() < 13) {
            throw new IllegalArgumentException("graph '" + graph.name() + "' has opset " + graph.opset() + "; the head needs opset 13 or later");
        }
        if (hidden <= 0) {
            throw new IllegalArgumentException("hidden width must be positive, got " + hidden);
        }
        if (task == TaskType.CLASSIFICATION ? numLabels < 2 : numLabels != 1) {
            throw new IllegalArgumentException(task == TaskType.CLASSIFICATION
                    ? "classification needs at least 2 labels, got " + numLabels
                    : "regression has exactly 1 output, got " + numLabels);
        }
        List<String> names = List.of("pre_classifier.weight", "pre_classifier.bias", "classifier.weight", "classifier.bias");
        for (String n : names) {
            requireUnused(graph, n);
        }
        Random random = new Random(seed);
        List<HeadParameter> params = new ArrayList<>();
        HeadParameter w1 = new HeadParameter(names.get(0), new long[] {hidden, hidden}, gaussian(random, hidden * hidden));
        HeadParameter w2 = new HeadParameter(names.get(2), new long[] {hidden, numLabels}, gaussian(random, hidden * numLabels));
        HeadParameter b1 = new HeadParameter(names.get(1), new long[] {hidden}, new float[hidden]);
        HeadParameter b2 = new HeadParameter(names.get(3), new long[] {numLabels}, new float[numLabels]);
        params.add(w1);
        params.add(b1);
        params.add(w2);
        params.add(b2);
        for (HeadParameter p : params) {
            graph.putInitializer(Tensor.ofFloats(p.name(), p.shape(), p.initialValues()));
        }

        String pooled = pooling == Pooling.CLS ? clsPool(graph, hiddenState) : meanPool(graph, hiddenState, attentionMask);
        String x = dropoutFactory.apply(graph, pooled, dropout);
        x = graph.add(graph.matMul(x, w1.name()), b1.name());
        x = graph.op("Tanh", List.of(x));
        x = dropoutFactory.apply(graph, x, dropout);
        String logits = graph.uniqueName(LOGITS);
        graph.addNode(new Node(graph.uniqueName("classifier_Add"), "Add", "", List.of(graph.matMul(x, w2.name()), b2.name()),
                List.of(logits), List.of()));
        return new Head(logits, null, List.of(), params);
    }

    /**
     * Adds the masked loss over {@code head}'s logits and returns the head with its loss and label
     * inputs.
     *
     * @param graph the graph that {@link #build} changed
     * @param head what {@link #build} returned
     * @param batchSize B, or a negative number for a symbolic batch extent
     */
    public Head addLoss(Graph graph, Head head, long batchSize) {
        for (String n : List.of(LABELS, EXAMPLE_WEIGHT, LOSS)) {
            requireUnused(graph, n);
        }
        long[] b = {batchSize};
        graph.addInput(new ValueInfo(LABELS, task == TaskType.CLASSIFICATION ? DataType.INT64 : DataType.FLOAT, b));
        graph.addInput(new ValueInfo(EXAMPLE_WEIGHT, DataType.FLOAT, b));
        String perExample;
        if (task == TaskType.CLASSIFICATION) {
            perExample = graph.uniqueName("per_example_loss");
            graph.addNode(new Node(graph.uniqueName("SoftmaxCrossEntropyLoss"), "SoftmaxCrossEntropyLoss", "",
                    List.of(head.logits(), LABELS), List.of(perExample), List.of(new Attribute.Str("reduction", "none"))));
        } else {
            String diff = graph.sub(graph.reshape(head.logits(), -1), LABELS);
            perExample = graph.mul(diff, diff);
        }
        String total = graph.op("ReduceSum", List.of(graph.mul(perExample, EXAMPLE_WEIGHT)), new Attribute.Int("keepdims", 0));
        String count = graph.op("ReduceSum", List.of(EXAMPLE_WEIGHT), new Attribute.Int("keepdims", 0));
        graph.addNode(new Node(graph.uniqueName("loss_Div"), "Div", "", List.of(total, count), List.of(LOSS), List.of()));
        return new Head(head.logits(), LOSS, List.of(LABELS, EXAMPLE_WEIGHT), head.parameters());
    }

    private static String clsPool(Graph graph, String hidden) {
        String index = graph.constant(Tensor.ofLongs("cls_index", new long[0], new long[] {0}));
        return graph.op("Gather", List.of(hidden, index), new Attribute.Int("axis", 1));
    }

    private static String meanPool(Graph graph, String hidden, String mask) {
        String maskF = graph.op("Cast", List.of(mask), new Attribute.Int("to", DataType.FLOAT.onnxCode()));
        String mask3 = graph.op("Unsqueeze", List.of(maskF, graph.constant(Tensor.vector("pool_axes", 2))));
        String axis1 = graph.constant(Tensor.vector("pool_axes", 1));
        String summed = graph.op("ReduceSum", List.of(graph.mul(hidden, mask3), axis1), new Attribute.Int("keepdims", 0));
        String count = graph.op("ReduceSum", List.of(maskF, axis1), new Attribute.Int("keepdims", 1));
        String safe = graph.op("Max", List.of(count, graph.scalar(1e-9f)));
        return graph.div(summed, safe);
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * INIT_STD);
        }
        return v;
    }

    private static void requireUnused(Graph graph, String name) {
        if (graph.initializer(name) != null || graph.isInput(name) || graph.isOutput(name) || graph.producer(name) != null) {
            throw new IllegalArgumentException("graph '" + graph.name() + "' already has a value named '" + name
                    + "', which the head needs");
        }
    }
}
