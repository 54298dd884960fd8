package org.peft4j.zoo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.data.DataContext;

/** A minimal map-backed {@link HyperParameters} for tests, converting only what tests need. */
public final class MapParams implements HyperParameters {

    private final Map<String, Object> values;

    private MapParams(Map<String, Object> values) {
        this.values = values;
    }

    /** Parameters from alternating keys and values. */
    public static MapParams of(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new MapParams(m);
    }

    /** A data context with the given directories. */
    public static DataContext data(Path dataDirectory, Path baseDirectory) {
        return new DataContext() {
            @Override
            public Path dataDirectory() {
                return dataDirectory;
            }

            @Override
            public Path baseDirectory() {
                return baseDirectory;
            }
        };
    }

    @Override
    public <T> T get(String key, Class<T> type, T defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (type == Double.class && v instanceof Integer i) {
            return type.cast(i.doubleValue());
        }
        if (!type.isInstance(v)) {
            throw new ConfigurationException(key, key + ": expected " + type.getSimpleName() + ", got " + v);
        }
        return type.cast(v);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> getList(String key, List<String> defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        return v instanceof String s ? List.of(s) : (List<String>) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String key, Map<String, Object> defaultValue) {
        Object v = values.get(key);
        return v == null ? (defaultValue == null ? Map.of() : defaultValue) : (Map<String, Object>) v;
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
        return "";
    }

    @Override
    public Map<String, Object> asMap() {
        return Map.copyOf(values);
    }
}
