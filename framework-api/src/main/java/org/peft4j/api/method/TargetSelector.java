package org.peft4j.api.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.graph.LinearLayer;

/**
 * Chooses target layers the way HF PEFT's {@code target_modules} does: either one regular
 * expression that must match the whole module name, or a list of suffixes where a module matches
 * when its name equals a suffix or ends with {@code "." + suffix}. An optional exclusion works the
 * same way.
 *
 * <p>Contract: {@link #select} keeps graph order and throws {@link ConfigurationException} naming
 * {@code targetsKey} when no layer matches, listing a few available module names.
 */
public final class TargetSelector {

    private final String targetsKey;
    private final List<String> targets;
    private final List<String> exclude;

    /**
     * @param targetsKey the full key path of the targets, for error messages
     * @param targets one regex (a single entry with regex characters) or module-name suffixes
     * @param exclude regex or suffixes of modules to skip; may be empty
     */
    public TargetSelector(String targetsKey, List<String> targets, List<String> exclude) {
        this.targetsKey = Objects.requireNonNull(targetsKey, "targetsKey");
        this.targets = List.copyOf(targets);
        this.exclude = List.copyOf(exclude);
        if (this.targets.isEmpty()) {
            throw new ConfigurationException(targetsKey, targetsKey + ": at least one target is required");
        }
        for (String t : this.targets) {
            compile(targetsKey, t);
        }
    }

    /** Whether {@code module} is selected. */
    public boolean matches(String module) {
        return matchesAny(targets, module) && !matchesAny(exclude, module);
    }

    /** The selected layers, in order. */
    public List<LinearLayer> select(List<LinearLayer> layers) {
        List<LinearLayer> chosen = new ArrayList<>();
        for (LinearLayer l : layers) {
            if (matches(l.module())) {
                chosen.add(l);
            }
        }
        if (chosen.isEmpty()) {
            List<String> names = layers.stream().limit(6).map(LinearLayer::module).toList();
            throw new ConfigurationException(targetsKey, targetsKey + ": " + targets + " matches no linear layer of the model; layers are named like "
                    + names);
        }
        return chosen;
    }

    /** Whether a target string is a regex rather than a plain suffix. */
    static boolean isRegex(String target) {
        return target.chars().anyMatch(c -> "*+?[](){}|^$\\".indexOf(c) >= 0);
    }

    private static boolean matchesAny(List<String> patterns, String module) {
        for (String p : patterns) {
            if (isRegex(p) ? Pattern.compile(p).matcher(module).matches() : module.equals(p) || module.endsWith("." + p)) {
                return true;
            }
        }
        return false;
    }

    private static void compile(String key, String target) {
        if (isRegex(target)) {
            try {
                Pattern.compile(target);
            } catch (PatternSyntaxException e) {
                throw new ConfigurationException(key, key + ": '" + target + "' is not a valid regular expression: " + e.getDescription());
            }
        }
    }
}
