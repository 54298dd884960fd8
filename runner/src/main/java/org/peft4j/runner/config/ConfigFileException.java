package org.peft4j.runner.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A comparison config cannot be used; the message names the file, the key path and what was
 * expected, in one line.
 */
public final class ConfigFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String key;

    /**
     * @param file the config file
     * @param key the offending key path, or an empty string for the whole file
     * @param message what was wrong (already naming the key where there is one)
     * @param cause the underlying failure, or null
     */
    public ConfigFileException(Path file, String key, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.key = Objects.requireNonNull(key, "key");
    }

    /** The config file. */
    public Path file() {
        return file;
    }

    /** The offending key path, or an empty string. */
    public String key() {
        return key;
    }
}
