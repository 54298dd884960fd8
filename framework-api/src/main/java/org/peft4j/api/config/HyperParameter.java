package org.peft4j.api.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The declaration of one hyperparameter that an extension accepts.
 *
 * <p>Contract: {@code key} is kebab-case and non-empty; {@code type} is one of {@link Integer},
 * {@link Double}, {@link Boolean}, {@link String}, {@link List} (of strings) or {@link Map} (string
 * keys, values of a simple type); {@code defaultValue} is an instance of {@code type} or null when
 * the parameter is optional and has no value by default; {@code description} is one sentence for
 * users.
 *
 * @param key the key as written in configs
 * @param type the Java type of the value
 * @param defaultValue the value used when the config gives none; may be null
 * @param description what the parameter does, for {@code peft4j plugins} and the docs
 * @param <T> the value type
 */
public record HyperParameter<T>(String key, Class<T> type, T defaultValue, String description) {

    private static final Set<Class<?>> SUPPORTED =
            Set.of(Integer.class, Double.class, Boolean.class, String.class, List.class, Map.class);

    public HyperParameter {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (!key.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("hyperparameter key must be kebab-case: '" + key + "'");
        }
        if (!SUPPORTED.contains(type)) {
            throw new IllegalArgumentException("unsupported hyperparameter type " + type.getName() + " for '" + key + "'");
        }
        if (defaultValue != null && !type.isInstance(defaultValue)) {
            throw new IllegalArgumentException("default of '" + key + "' is not a " + type.getSimpleName());
        }
    }

    /** An integer hyperparameter. */
    public static HyperParameter<Integer> ofInt(String key, int defaultValue, String description) {
        return new HyperParameter<>(key, Integer.class, defaultValue, description);
    }

    /** A real-valued hyperparameter. */
    public static HyperParameter<Double> ofDouble(String key, double defaultValue, String description) {
        return new HyperParameter<>(key, Double.class, defaultValue, description);
    }

    /** A boolean hyperparameter. */
    public static HyperParameter<Boolean> ofBoolean(String key, boolean defaultValue, String description) {
        return new HyperParameter<>(key, Boolean.class, defaultValue, description);
    }

    /** A string hyperparameter; {@code defaultValue} may be null. */
    public static HyperParameter<String> ofString(String key, String defaultValue, String description) {
        return new HyperParameter<>(key, String.class, defaultValue, description);
    }

    /** A list-of-strings hyperparameter. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static HyperParameter<List> ofList(String key, List<String> defaultValue, String description) {
        return new HyperParameter<>(key, List.class, defaultValue == null ? null : List.copyOf(defaultValue), description);
    }

    /** A map hyperparameter (string keys), such as per-module rank overrides. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static HyperParameter<Map> ofMap(String key, Map<String, ?> defaultValue, String description) {
        return new HyperParameter<>(key, Map.class, defaultValue == null ? null : Map.copyOf(defaultValue), description);
    }
}
