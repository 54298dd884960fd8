package org.peft4j.plugins.aflora;

import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.PeftMethod;
import org.pf4j.Extension;

/**
 * The {@code aflora} method: {@code y = W0 x + bias + b ⊙ (B (d ⊙ (A x)))} with per-layer
 * Kaiming-uniform {@code A} ({@code r × in}) and {@code B} ({@code out × r}), {@code d = d-initial}
 * and {@code b = 0}. {@code d} and {@code b} always train; {@code A} and {@code B} start trainable
 * (and freezable by the freezing schedule) on the layers chosen by {@code trainable-projections},
 * and are frozen random matrices elsewhere. No alpha scaling.
 *
 * <p>{@code trainable-projections}: {@code ffn} (default, as the authors' GLUE runs) selects the
 * targets whose input and output widths differ, which in a BERT block are exactly the FFN's
 * intermediate and output dense layers; {@code all} selects every target; {@code none} none
 * (ELoRA-like, per-layer projections); anything else is a module pattern: one regular expression
 * matching the whole module name, or comma-separated module-name suffixes as in {@code targets}.
 *
 * <p>Contract: stateless and thread-safe; {@link #configure} validates every hyperparameter and
 * returns a fresh {@link AfloraAdapter}. By default a strategy with this method is scored by
 * {@code aflora-sensitivity} and frozen by {@code aflora-cubic}.
 */
@Extension
public final class AfloraMethod implements PeftMethod {

    /** The id configs use. */
    public static final String ID = "aflora";

    /** The six linear layers of a BERT encoder block, as module-name suffixes. */
    public static final List<String> BERT_LINEAR_LAYERS =
            List.of("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense");

    /** Rank. */
    public static final HyperParameter<Integer> R =
            HyperParameter.ofInt("r", 4, "rank r of the per-layer projections A (r x in) and B (out x r); a positive integer");

    /** Initial value of every element of d. */
    public static final HyperParameter<Double> D_INITIAL = HyperParameter.ofDouble("d-initial", 0.1,
            "initial value of every element of the trainable scaling vector d (finite and non-zero)");

    /** Which layers' projections start trainable. */
    public static final HyperParameter<String> TRAINABLE_PROJECTIONS = HyperParameter.ofString("trainable-projections", "ffn",
            "layers whose A and B start trainable (and may be frozen later): ffn (in != out), all, none, comma-separated module suffixes, or one regex");

    /** Targeted modules. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<List> TARGETS = HyperParameter.ofList("targets", BERT_LINEAR_LAYERS,
            "modules to adapt: module-name suffixes, or one regular expression matching the whole name (as HF PEFT target_modules)");

    /** Excluded modules. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<List> EXCLUDE = HyperParameter.ofList("exclude", List.of(),
            "modules to skip even if targeted: suffixes or one regular expression, like targets");

    private static final List<HyperParameter<?>> ALL = List.of(R, D_INITIAL, TRAINABLE_PROJECTIONS, TARGETS, EXCLUDE);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "AFLoRA (Liu et al. 2024): per-layer low-rank projections frozen adaptively, trainable vectors d and b";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return ALL;
    }

    @Override
    public Adapter configure(HyperParameters params) {
        int r = params.get(R);
        if (r <= 0) {
            throw params.invalid(R.key(), "the rank must be a positive integer, got " + r);
        }
        double d = params.get(D_INITIAL);
        if (d == 0 || !Double.isFinite(d)) {
            throw params.invalid(D_INITIAL.key(), "must be a finite non-zero number (with d = 0 and b = 0 nothing would ever train), got " + d);
        }
        String trainable = params.get(TRAINABLE_PROJECTIONS).trim();
        if (trainable.isEmpty()) {
            throw params.invalid(TRAINABLE_PROJECTIONS.key(), "expected ffn, all, none or a module pattern, got an empty value");
        }
        List<String> targets = params.getList(TARGETS.key(), BERT_LINEAR_LAYERS);
        List<String> exclude = params.getList(EXCLUDE.key(), List.of());
        return new AfloraAdapter(params, r, (float) d, trainable, targets, exclude);
    }

    @Override
    public String defaultScorer() {
        return AfloraSensitivityScorer.ID;
    }

    @Override
    public String defaultScheduler() {
        return AfloraCubicScheduler.ID;
    }
}
