package org.peft4j.api.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.config.HyperParameters;

/**
 * A {@link HyperParameters} view over a plain map, for tests.
 *
 * <p>Contract: as {@link HyperParameters}, with these conversions: an {@link Integer} is read as a
 * {@link Double}; a {@link Double} or {@link Long} as an {@link Integer} only when it is integral and
 * in range; a {@link String} as a one-element list. Any other mismatch throws
 * {@link ConfigurationException} naming {@code path + key}. Keys are not checked against
 * declarations (the runner does that). Immutable.
 */
public final class MapHyperParameters implements HyperParameters {

    private final String path;
    private final Map<String, Object> values;

    /**
     * @param path the key-path prefix for errors, such as {@code "strategies[0]."}
     * @param values the configured values; copied
     */
    public MapHyperParameters(String path, Map<String, ?> values) {
        this.path = Objects.requireNonNull(path, "path");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Hyperparameters at the root path from alternating keys and values. */
    public static MapHyperParameters of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must alternate");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new MapHyperParameters("", m);
    }

    /** Empty hyperparameters: every declared default applies. */
    public static MapHyperParameters empty() {
        return new MapHyperParameters("", Map.of());
    }

    @Override
    public <T> T get(String key, Class<T> type, T defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        if (type == Double.class && v instanceof Number n && !(v instanceof Double)) {
            return type.cast(n.doubleValue());
        }
        if (type == Integer.class && v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                return type.cast((int) d);
            }
        }
        if (type == List.class && v instanceof String s) {
            return type.cast(List.of(s));
        }
        throw new ConfigurationException(path + key, path + key + ": expected " + type.getSimpleName() + ", got " + v);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> getList(String key, List<String> defaultValue) {
        List<?> l = get(key, List.class, defaultValue);
        return l == null ? null : List.copyOf((List<String>) l);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String key, Map<String, Object> defaultValue) {
        Map<String, Object> m = get(key, Map.class, defaultValue);
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    @Override
    public boolean contains(String key) {
        return values.containsKey(key);
    }

    @Override
    public Set<String> keys() {
        return values.keySet();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Map<String, Object> asMap() {
        return values;
    }
}
