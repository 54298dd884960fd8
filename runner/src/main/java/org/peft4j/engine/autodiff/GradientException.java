package org.peft4j.engine.autodiff;

/**
 * The backward graph cannot be built: an operator without a gradient rule on a differentiated
 * path, a non-constant value where the rule needs a constant, or a dynamic shape. The message
 * names the node, its operator and the path from a differentiated value to the loss.
 */
public final class GradientException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** An error with its full message. */
    public GradientException(String message) {
        super(message);
    }
}
