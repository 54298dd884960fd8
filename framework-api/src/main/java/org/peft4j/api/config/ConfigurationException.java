package org.peft4j.api.config;

import java.util.Objects;

/**
 * A configuration value is missing, malformed or out of range.
 *
 * <p>Contract: {@link #key()} names the offending key path as the user wrote it (for example
 * {@code strategies[1].r}); the message says what was found and what was expected, and is fit to
 * show a user as a single line without a stack trace.
 */
public class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the offending key path; never null
     * @param message what was wrong and what was expected; never null
     */
    public ConfigurationException(String key, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.key = Objects.requireNonNull(key, "key");
    }

    /** The offending key path; never null. */
    public String key() {
        return key;
    }
}
