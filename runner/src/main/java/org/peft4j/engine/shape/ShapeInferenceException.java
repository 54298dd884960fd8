package org.peft4j.engine.shape;

import org.peft4j.api.graph.Node;

/**
 * A node whose output shapes cannot be inferred: an unknown operator, shapes that do not fit, or
 * a missing input. The message names the node and its operator.
 */
public final class ShapeInferenceException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String nodeName;

    /** An error about {@code node}. */
    public ShapeInferenceException(Node node, String problem) {
        super("node '" + node.name() + "' (" + node.opType() + "): " + problem);
        this.nodeName = node.name();
    }

    /** An error about {@code node} with its cause. */
    public ShapeInferenceException(Node node, String problem, Throwable cause) {
        super("node '" + node.name() + "' (" + node.opType() + "): " + problem, cause);
        this.nodeName = node.name();
    }

    /** The name of the node at fault. */
    public String nodeName() {
        return nodeName;
    }
}
