package org.peft4j.runner.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;

/**
 * {@link HyperParameters} backed by plain values from a config, checked against declarations.
 *
 * <p>Contract: construction rejects any key that is not declared, and any value that cannot be
 * converted to its declared type, with a {@link ConfigurationException} naming the full key path
 * and the accepted keys or the expected type. Instances are immutable.
 */
public final class ValidatedHyperParameters implements HyperParameters {

    private final String path;
    private final Map<String, Object> values;
    private final Map<String, HyperParameter<?>> declared;

    /**
     * @param path the key-path prefix, such as {@code strategies[0].}
     * @param values the configured values (strings are converted on access)
     * @param declarations what the extension accepts
     * @param owner who accepts them, for messages (such as {@code method 'lora'})
     */
    public ValidatedHyperParameters(String path, Map<String, Object> values, List<HyperParameter<?>> declarations, String owner) {
        this.path = Objects.requireNonNull(path, "path");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.declared = new LinkedHashMap<>();
        for (HyperParameter<?> d : declarations) {
            declared.put(d.key(), d);
        }
        for (Map.Entry<String, Object> e : this.values.entrySet()) {
            HyperParameter<?> d = declared.get(e.getKey());
            if (d == null) {
                throw new ConfigurationException(path + e.getKey(), path + e.getKey() + ": unknown key for " + owner + "; accepted keys: "
                        + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet())) + suggestion(e.getKey(), declared.keySet()));
            }
            convert(e.getKey(), e.getValue(), d.type());
        }
    }

    /** A view with no declarations and no values. */
    public static ValidatedHyperParameters empty(String path) {
        return new ValidatedHyperParameters(path, Map.of(), List.of(), "nothing");
    }

    static String suggestion(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    @Override
    public <T> T get(String key, Class<T> type, T defaultValue) {
        Object raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        return type.cast(convert(key, raw, type));
    }

    @Override
    public List<String> getList(String key, List<String> defaultValue) {
        Object raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) convert(key, raw, List.class);
        return list;
    }

    @Override
    public Map<String, Object> getMap(String key, Map<String, Object> defaultValue) {
        Object raw = values.get(key);
        if (raw == null) {
            return defaultValue == null ? Map.of() : defaultValue;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) convert(key, raw, Map.class);
        return map;
    }

    @Override
    public boolean contains(String key) {
        return values.containsKey(key);
    }

    @Override
    public Set<String> keys() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(values.keySet()));
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Map<String, Object> asMap() {
        Map<String, Object> effective = new LinkedHashMap<>();
        for (HyperParameter<?> d : declared.values()) {
            Object v = values.containsKey(d.key()) ? convert(d.key(), values.get(d.key()), d.type()) : d.defaultValue();
            effective.put(d.key(), v);
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            effective.putIfAbsent(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(effective);
    }

    private Object convert(String key, Object raw, Class<?> type) {
        String full = path + key;
        if (type == String.class) {
            if (raw instanceof Map || raw instanceof List) {
                throw wrongType(full, raw, "a string");
            }
            return String.valueOf(raw);
        }
        if (type == Integer.class) {
            if (raw instanceof Integer i) {
                return i;
            }
            if (raw instanceof Long l && l == l.intValue()) {
                return l.intValue();
            }
            if (raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
                return d.intValue();
            }
            if (raw instanceof String s) {
                try {
                    return Integer.parseInt(s.trim());
                } catch (NumberFormatException e) {
                    throw wrongType(full, raw, "an integer");
                }
            }
            throw wrongType(full, raw, "an integer");
        }
        if (type == Double.class) {
            if (raw instanceof Number n) {
                return n.doubleValue();
            }
            if (raw instanceof String s) {
                try {
                    return Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    throw wrongType(full, raw, "a number");
                }
            }
            throw wrongType(full, raw, "a number");
        }
        if (type == Boolean.class) {
            if (raw instanceof Boolean b) {
                return b;
            }
            if (raw instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(s.trim());
            }
            throw wrongType(full, raw, "true or false");
        }
        if (type == List.class) {
            if (raw instanceof List<?> l) {
                List<String> out = new ArrayList<>();
                for (Object o : l) {
                    if (o instanceof Map || o instanceof List) {
                        throw wrongType(full, raw, "a list of strings");
                    }
                    out.add(String.valueOf(o));
                }
                return List.copyOf(out);
            }
            if (raw instanceof Map) {
                throw wrongType(full, raw, "a list of strings");
            }
            String s = String.valueOf(raw);
            // a comma list written as one string (as -D overrides give it), but never a regex such as a{1,3}
            boolean regex = s.chars().anyMatch(c -> "*+?[](){}|^$\\".indexOf(c) >= 0);
            return s.contains(",") && !regex ? List.of(s.trim().split("\\s*,\\s*")) : List.of(s);
        }
        if (type == Map.class) {
            if (raw instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(String.valueOf(k), v));
                return Collections.unmodifiableMap(out);
            }
            throw wrongType(full, raw, "a map of key: value entries");
        }
        throw new IllegalStateException("unsupported type " + type);
    }

    private static ConfigurationException wrongType(String key, Object raw, String expected) {
        String shown = raw instanceof Map ? "a map" : raw instanceof List ? "a list" : "'" + raw + "'";
        return new ConfigurationException(key, key + ": expected " + expected + ", found " + shown);
    }

    @Override
    public String toString() {
        return asMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
    }
}
