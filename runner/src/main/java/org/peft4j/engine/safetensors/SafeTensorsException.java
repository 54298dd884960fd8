package org.peft4j.engine.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A safetensors file that is truncated, corrupted or not what peft4j expects.
 *
 * <p>Contract: the message always starts with the file name and says what was wrong and what was
 * expected; {@link #file()} is that file.
 */
public final class SafeTensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the offending file
     * @param problem what is wrong with it
     */
    public SafeTensorsException(Path file, String problem) {
        super(Objects.requireNonNull(file, "file") + ": " + problem);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
