package org.peft4j.plugins.lora;

import java.util.List;
import java.util.Map;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.PeftMethod;
import org.pf4j.Extension;

/**
 * The {@code lora} method: a trainable low-rank update {@code (alpha / r) · B A} beside each
 * targeted linear layer, {@code A} initialised {@code U(-1/sqrt(in), 1/sqrt(in))} and {@code B} zero,
 * so the adapter starts as an exact no-op.
 *
 * <p>Contract: stateless and thread-safe; {@link #configure} validates every hyperparameter and
 * returns a fresh {@link LoraAdapter}. Targeting follows HF PEFT's {@code target_modules}: a list of
 * module-name suffixes (a module matches when its name equals a suffix or ends with
 * {@code "." + suffix}) or a single regular expression that must match the whole name. The default
 * suffixes name the six linear layers of a BERT block; note that the suffix {@code output.dense}
 * matches both {@code attention.output.dense} and the FFN's {@code output.dense}, exactly as it would
 * in HF PEFT, so listing {@code attention.output.dense} too is redundant but harmless and documents
 * the intent.
 */
@Extension
public final class LoraMethod implements PeftMethod {

    /** The id configs use. */
    public static final String ID = "lora";

    /** The six linear layers of a BERT encoder block, as module-name suffixes. */
    public static final List<String> BERT_LINEAR_LAYERS =
            List.of("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense");

    /** Rank {@code r} of the update. */
    public static final HyperParameter<Integer> R =
            HyperParameter.ofInt("r", 8, "rank r of the low-rank update B A (a positive integer)");

    /** Scaling numerator {@code alpha}. */
    public static final HyperParameter<Double> ALPHA = HyperParameter.ofDouble("alpha", 8.0,
            "scaling numerator: the update is multiplied by alpha / r (or alpha / sqrt(r) with use-rslora); at least 0");

    /** Dropout probability on the adapter input. */
    public static final HyperParameter<Double> DROPOUT = HyperParameter.ofDouble("dropout", 0.0,
            "inverted-dropout probability on the adapter's input while training, in [0, 1)");

    /** rsLoRA scaling. */
    public static final HyperParameter<Boolean> USE_RSLORA = HyperParameter.ofBoolean("use-rslora", false,
            "scale the update by alpha / sqrt(r) (rank-stabilised LoRA) instead of alpha / r");

    /** Targeted modules. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<List> TARGETS = HyperParameter.ofList("targets", BERT_LINEAR_LAYERS,
            "modules to adapt: module-name suffixes, or one regular expression matching the whole name (as HF PEFT target_modules)");

    /** Excluded modules. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<List> EXCLUDE = HyperParameter.ofList("exclude", List.of(),
            "modules to skip even if targeted: suffixes or one regular expression, like targets");

    /** Per-module rank overrides. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<Map> RANK_PATTERN = HyperParameter.ofMap("rank-pattern", Map.of(),
            "per-module rank overrides, as HF PEFT rank_pattern: key a regular expression matched against the end of the module name after a dot, value the rank");

    /** Per-module alpha overrides. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<Map> ALPHA_PATTERN = HyperParameter.ofMap("alpha-pattern", Map.of(),
            "per-module alpha overrides, as HF PEFT alpha_pattern: key a regular expression matched against the end of the module name after a dot, value the alpha");

    private static final List<HyperParameter<?>> ALL =
            List.of(R, ALPHA, DROPOUT, USE_RSLORA, TARGETS, EXCLUDE, RANK_PATTERN, ALPHA_PATTERN);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "LoRA (Hu et al. 2021): trainable low-rank update (alpha/r) B A beside each targeted linear layer";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return ALL;
    }

    @Override
    public Adapter configure(HyperParameters params) {
        return new LoraAdapter(LoraConfig.from(params));
    }
}
