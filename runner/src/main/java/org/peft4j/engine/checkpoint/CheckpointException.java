package org.peft4j.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A checkpoint that cannot be used: truncated, corrupted, from another configuration, or
 * incomplete.
 *
 * <p>Contract: the message starts with the offending file and says what is wrong;
 * {@link #file()} is that file.
 */
public final class CheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the offending file
     * @param problem what is wrong
     * @param cause the underlying error, or null
     */
    public CheckpointException(Path file, String problem, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
