package org.peft4j.plugins.lora;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.peft4j.api.config.HyperParameters;

/**
 * Per-module overrides keyed by patterns, with HF PEFT's {@code rank_pattern} semantics: a key
 * applies to a module when the module name equals the key, or when the regular expression
 * {@code (.*\.)?(key)} matches the whole module name (so {@code query} matches
 * {@code encoder.layer.0.attention.self.query} and {@code layer\.0\..*query} matches only the
 * first layer's query).
 *
 * <p>Contract: when several keys match one module, an exact name match wins, then the longest key
 * (the most specific), then the lexicographically smallest, so the result never depends on the
 * iteration order of the configured map. Instances are immutable.
 *
 * @param <V> the override value type
 */
final class ModulePatterns<V> {

    private record Entry<V>(String key, Pattern pattern, V value) {
    }

    private final String configKey;
    private final List<Entry<V>> entries;

    private ModulePatterns(String configKey, List<Entry<V>> entries) {
        this.configKey = configKey;
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads and validates a pattern map.
     *
     * @param params the hyperparameters, for error paths
     * @param configKey the map's key, such as {@code rank-pattern}
     * @param raw the configured map
     * @param convert converts one value, or throws the failure for it (given the pattern key and raw value)
     */
    static <V> ModulePatterns<V> parse(HyperParameters params, String configKey, Map<String, Object> raw,
            Function<Map.Entry<String, Object>, V> convert) {
        List<Entry<V>> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : new LinkedHashMap<>(raw).entrySet()) {
            String key = e.getKey();
            if (key == null || key.isBlank()) {
                throw params.invalid(configKey, "pattern keys must be non-empty");
            }
            Pattern p;
            try {
                p = Pattern.compile("(.*\\.)?(" + key + ")");
            } catch (PatternSyntaxException ex) {
                throw params.invalid(configKey, "'" + key + "' is not a valid regular expression: " + ex.getDescription());
            }
            entries.add(new Entry<>(key, p, convert.apply(e)));
        }
        return new ModulePatterns<>(configKey, entries);
    }

    /** The override for {@code module}, if a key applies to it. */
    Optional<V> lookup(String module) {
        return entries.stream()
                .filter(e -> e.key.equals(module) || e.pattern.matcher(module).matches())
                .min(Comparator.<Entry<V>>comparingInt(e -> e.key.equals(module) ? 0 : 1)
                        .thenComparing(e -> -e.key.length())
                        .thenComparing(Entry::key))
                .map(Entry::value);
    }

    /** The keys that apply to none of {@code modules}, in configured order. */
    List<String> unmatched(List<String> modules) {
        List<String> result = new ArrayList<>();
        for (Entry<V> e : entries) {
            if (modules.stream().noneMatch(m -> e.key.equals(m) || e.pattern.matcher(m).matches())) {
                result.add(e.key);
            }
        }
        return result;
    }

    /** The configuration key of this map. */
    String configKey() {
        return configKey;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
