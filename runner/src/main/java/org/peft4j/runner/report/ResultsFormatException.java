package org.peft4j.runner.report;

/**
 * A {@code results.json} file that cannot be read: malformed JSON, a value of the wrong type, a missing required key
 * or an unsupported schema version. The message names the file and, where known, the JSON path.
 */
public final class ResultsFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the file and what was expected. */
    public ResultsFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception with a message naming the file and what was expected. */
    public ResultsFormatException(String message) {
        super(message);
    }
}
