package org.peft4j.zoo.heads;

import java.util.List;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;

/**
 * The hook through which the engine decides what dropout means in a graph it builds: inverted
 * dropout while training, the identity at evaluation. Head builders never emit dropout
 * themselves; they call this, as adapters call
 * {@link org.peft4j.api.method.AdapterContext#dropout}.
 *
 * <p>Contract: {@link #apply} returns the name of a value equal in shape and type to
 * {@code value}: with probability {@code p} each element zeroed and the rest scaled by
 * {@code 1 / (1 - p)} in a training graph, or {@code value} unchanged in an evaluation graph. It
 * returns {@code value} itself when {@code p == 0}. It may add nodes and initializers to
 * {@code graph}, and nothing else.
 */
@FunctionalInterface
public interface DropoutFactory {

    /** Evaluation: dropout is the identity and adds nothing to the graph. */
    DropoutFactory IDENTITY = (graph, value, p) -> value;

    /**
     * {@code value} with dropout of probability {@code p} applied as the factory's graph requires.
     *
     * @param graph the graph being built
     * @param value the value to drop from
     * @param p the drop probability, in [0, 1)
     */
    String apply(Graph graph, String value, double p);

    /**
     * The name of the shared boolean initializer that {@link #onnxTraining} feeds to every
     * {@code Dropout} as its {@code training_mode}; the same switch the engine's adapter context
     * uses, so one flip turns every dropout of a graph on (training) or off (evaluation).
     */
    String TRAINING_MODE = "peft4j_training_mode";

    /**
     * Dropout with the standard ONNX {@code Dropout} operator (opset 12 and later): ratio
     * {@code p}, {@code training_mode} the shared initializer {@value #TRAINING_MODE} (created
     * {@code true} when the graph lacks it), and the seed {@code seed} plus the number of dropout
     * nodes this factory made before, so a graph built twice is the same. Each node also outputs
     * its mask, which a gradient reads. Note: ONNX Runtime's graph optimiser removes a
     * {@code Dropout} whose mask nobody reads, even in training mode, so a forward-only graph run
     * with optimisations on does not drop; in a training graph the gradient reads the mask and
     * the node stays.
     */
    static DropoutFactory onnxTraining(long seed) {
        long[] counter = {0};
        return (graph, value, p) -> {
            if (p == 0) {
                return value;
            }
            if (!(p > 0 && p < 1)) {
                throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
            }
            if (graph.initializer(TRAINING_MODE) == null) {
                graph.putInitializer(Tensor.ofBooleans(TRAINING_MODE, new long[0], new boolean[] {true}));
            }
            String ratio = graph.constant(Tensor.scalar("dropout_ratio", (float) p));
            String out = graph.uniqueName(value + "_dropout");
            String mask = graph.uniqueName(value + "_dropout_mask");
            graph.addNode(new Node(graph.uniqueName("Dropout"), "Dropout", "", List.of(value, ratio, TRAINING_MODE), List.of(out, mask),
                    List.of(new Attribute.Int("seed", seed + counter[0]++))));
            return out;
        };
    }
}
