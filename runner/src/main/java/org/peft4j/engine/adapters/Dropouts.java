package org.peft4j.engine.adapters;

import java.util.List;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;

/**
 * Turns a training graph's dropout into the identity, as evaluation and inference need: ONNX
 * {@code Dropout} in training mode draws a mask on every run, so the same graph cannot serve both.
 */
public final class Dropouts {

    private Dropouts() {
    }

    /**
     * Replaces every {@code Dropout} node of {@code graph} by an {@code Identity} of its data input,
     * and drops the ratio and training-mode initializers that nothing reads any more; a mask output
     * that something still reads is an error, since evaluation has no mask.
     *
     * @return the number of nodes replaced
     */
    public static int toIdentity(Graph graph) {
        int replaced = 0;
        for (Node n : List.copyOf(graph.nodes())) {
            if (!n.opType().equals("Dropout")) {
                continue;
            }
            if (n.outputs().size() > 1 && !n.output(1).isEmpty() && (!graph.consumers(n.output(1)).isEmpty() || graph.isOutput(n.output(1)))) {
                throw new IllegalStateException("dropout node '" + n.name() + "' has its mask '" + n.output(1) + "' read; it cannot become the identity");
            }
            graph.removeNode(n);
            graph.addNode(new Node(n.name() + "_identity", "Identity", "", List.of(n.input(0)), List.of(n.output(0)), List.of()));
            replaced++;
            for (String control : n.inputs().subList(1, n.inputs().size())) {
                if (!control.isEmpty() && graph.initializer(control) != null && graph.consumers(control).isEmpty() && !graph.isOutput(control)) {
                    graph.removeInitializer(control);
                }
            }
        }
        if (replaced > 0) {
            graph.sortTopologically();
        }
        return replaced;
    }
}
