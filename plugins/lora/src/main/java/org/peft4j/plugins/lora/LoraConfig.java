package org.peft4j.plugins.lora;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.config.HyperParameters;

/**
 * The validated hyperparameters of one LoRA strategy.
 *
 * <p>Contract: {@code r > 0}, {@code alpha >= 0} and finite, {@code 0 <= dropout < 1}; every
 * rank override is a positive integer and every alpha override a finite number {@code >= 0};
 * {@code params} is kept to name keys in later errors (targets that match nothing).
 *
 * @param params the source hyperparameters, for error key paths
 * @param r the default rank
 * @param alpha the default alpha
 * @param dropout the input dropout probability
 * @param useRslora whether the scale is {@code alpha / sqrt(r)}
 * @param targets target suffixes or one regex
 * @param exclude excluded suffixes or one regex
 * @param rankPattern per-module rank overrides
 * @param alphaPattern per-module alpha overrides
 */
record LoraConfig(HyperParameters params, int r, double alpha, double dropout, boolean useRslora, List<String> targets,
        List<String> exclude, ModulePatterns<Integer> rankPattern, ModulePatterns<Double> alphaPattern) {

    LoraConfig {
        Objects.requireNonNull(params, "params");
        targets = List.copyOf(targets);
        exclude = List.copyOf(exclude);
        Objects.requireNonNull(rankPattern, "rankPattern");
        Objects.requireNonNull(alphaPattern, "alphaPattern");
    }

    /** Reads and validates the hyperparameters; throws a ConfigurationException naming the bad key. */
    static LoraConfig from(HyperParameters params) {
        int r = params.get(LoraMethod.R);
        if (r <= 0) {
            throw params.invalid(LoraMethod.R.key(), "the rank must be a positive integer, got " + r);
        }
        double alpha = params.get(LoraMethod.ALPHA);
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw params.invalid(LoraMethod.ALPHA.key(), "alpha must be a finite number >= 0, got " + alpha);
        }
        double dropout = params.get(LoraMethod.DROPOUT);
        if (!(dropout >= 0 && dropout < 1)) {
            throw params.invalid(LoraMethod.DROPOUT.key(), "the dropout probability must be in [0, 1), got " + dropout);
        }
        boolean rslora = params.get(LoraMethod.USE_RSLORA);
        List<String> targets = params.getList(LoraMethod.TARGETS.key(), LoraMethod.BERT_LINEAR_LAYERS);
        List<String> exclude = params.getList(LoraMethod.EXCLUDE.key(), List.of());
        String rankKey = LoraMethod.RANK_PATTERN.key();
        ModulePatterns<Integer> ranks = ModulePatterns.parse(params, rankKey, params.getMap(rankKey, Map.of()), e -> {
            Double v = number(e.getValue());
            if (v == null || v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
                throw params.invalid(rankKey, "the rank for '" + e.getKey() + "' must be a positive integer, got " + e.getValue());
            }
            return (int) (double) v;
        });
        String alphaKey = LoraMethod.ALPHA_PATTERN.key();
        ModulePatterns<Double> alphas = ModulePatterns.parse(params, alphaKey, params.getMap(alphaKey, Map.of()), e -> {
            Double v = number(e.getValue());
            if (v == null || !(v >= 0) || v.isInfinite()) {
                throw params.invalid(alphaKey, "the alpha for '" + e.getKey() + "' must be a finite number >= 0, got " + e.getValue());
            }
            return v;
        });
        return new LoraConfig(params, r, alpha, dropout, rslora, targets, exclude, ranks, alphas);
    }

    /** The rank of {@code module}: its rank-pattern override or {@link #r()}. */
    int rankOf(String module) {
        return rankPattern.lookup(module).orElse(r);
    }

    /** The alpha of {@code module}: its alpha-pattern override or {@link #alpha()}. */
    double alphaOf(String module) {
        return alphaPattern.lookup(module).orElse(alpha);
    }

    /** The scale of {@code module}'s update: {@code alpha / r}, or {@code alpha / sqrt(r)} with rsLoRA. */
    double scaleOf(String module) {
        int rank = rankOf(module);
        return alphaOf(module) / (useRslora ? Math.sqrt(rank) : rank);
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
