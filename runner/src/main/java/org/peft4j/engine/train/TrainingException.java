package org.peft4j.engine.train;

/**
 * A training run that cannot go on: a NaN or infinite loss (the message names the step, epoch and
 * batch), an ONNX Runtime failure, or a resume that does not match its checkpoint.
 */
public final class TrainingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and where */
    public TrainingException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and where
     * @param cause the underlying error
     */
    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
