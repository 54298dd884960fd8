package org.peft4j.api.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A typed, read-only view of the hyperparameters configured for one extension.
 *
 * <p>Contract: values have already been checked against the extension's declared
 * {@link HyperParameter}s (unknown keys were rejected) and converted to the declared types; numbers
 * convert between {@link Integer} and {@link Double} only when no precision is lost. Every
 * accessor that fails throws {@link ConfigurationException} whose key is the full key path
 * ({@link #path()} + key). Implementations are immutable and safe to share between threads.
 */
public interface HyperParameters {

    /**
     * The value of {@code key} converted to {@code type}, or {@code defaultValue} when the config
     * does not set it.
     *
     * @throws ConfigurationException when the value cannot be converted to {@code type}
     */
    <T> T get(String key, Class<T> type, T defaultValue);

    /**
     * The value of a declared hyperparameter, falling back to its declared default.
     *
     * @throws ConfigurationException when the value is missing and the declaration has no default,
     *     or cannot be converted
     */
    default <T> T get(HyperParameter<T> declaration) {
        T value = get(declaration.key(), declaration.type(), declaration.defaultValue());
        if (value == null) {
            throw new ConfigurationException(path() + declaration.key(), "a value is required: " + declaration.description());
        }
        return value;
    }

    /** Shorthand for an integer. */
    default int getInt(String key, int defaultValue) {
        return get(key, Integer.class, defaultValue);
    }

    /** Shorthand for a double. */
    default double getDouble(String key, double defaultValue) {
        return get(key, Double.class, defaultValue);
    }

    /** Shorthand for a boolean. */
    default boolean getBoolean(String key, boolean defaultValue) {
        return get(key, Boolean.class, defaultValue);
    }

    /** Shorthand for a string. */
    default String getString(String key, String defaultValue) {
        return get(key, String.class, defaultValue);
    }

    /** A list of strings; a single string value reads as a one-element list. */
    List<String> getList(String key, List<String> defaultValue);

    /** A map with string keys; empty when the key is absent and {@code defaultValue} is null. */
    Map<String, Object> getMap(String key, Map<String, Object> defaultValue);

    /** Whether the config sets {@code key} explicitly. */
    boolean contains(String key);

    /** The keys the config sets explicitly; never null. */
    Set<String> keys();

    /**
     * The key-path prefix used in error messages, such as {@code "strategies[0]."}; empty for the
     * root; never null.
     */
    String path();

    /**
     * A failure for {@code key} with the full key path; plugins throw it for values that are of
     * the right type but out of range.
     */
    default ConfigurationException invalid(String key, String message) {
        return new ConfigurationException(path() + key, path() + key + ": " + message);
    }

    /** The effective values, explicit and defaulted, as plain Java objects for provenance. */
    Map<String, Object> asMap();
}
