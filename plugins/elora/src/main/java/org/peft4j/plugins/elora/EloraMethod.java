package org.peft4j.plugins.elora;

import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.PeftMethod;
import org.pf4j.Extension;

/**
 * The {@code elora} method: {@code y = W0 x + bias + b ⊙ (B (d ⊙ (A x)))} where {@code A}
 * ({@code r × in_max}) and {@code B} ({@code out_max × r}) are Kaiming-uniform random matrices,
 * frozen and shared by every targeted layer (each layer uses the leading slices
 * {@code A[:, :in]} and {@code B[:out, :]}), regenerated from {@code projection-seed}; the
 * per-layer vectors {@code d} (init {@code d-initial}) and {@code b} (init 0) train. No alpha
 * scaling.
 *
 * <p>Contract: stateless and thread-safe; {@link #configure} validates every hyperparameter and
 * returns a fresh {@link EloraAdapter}. Targeting works as in HF PEFT's {@code target_modules}
 * (suffixes, or one regex matching the whole module name); the default suffixes name the six
 * linear layers of a BERT block ({@code output.dense} alone would also match
 * {@code attention.output.dense}).
 */
@Extension
public final class EloraMethod implements PeftMethod {

    /** The id configs use. */
    public static final String ID = "elora";

    /** The six linear layers of a BERT encoder block, as module-name suffixes. */
    public static final List<String> BERT_LINEAR_LAYERS =
            List.of("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense");

    /** Rank of the shared projections. */
    public static final HyperParameter<Integer> R = HyperParameter.ofInt("r", 1024,
            "rank r of the shared random projections A (r x in_max) and B (out_max x r); a positive integer");

    /** Seed of the shared projections. */
    public static final HyperParameter<Integer> PROJECTION_SEED = HyperParameter.ofInt("projection-seed", 0,
            "seed from which the frozen shared projections A and B are generated (independent of the run seed)");

    /** Initial value of every element of d. */
    public static final HyperParameter<Double> D_INITIAL = HyperParameter.ofDouble("d-initial", 0.1,
            "initial value of every element of the trainable scaling vector d (finite and non-zero)");

    /** Whether checkpoints store the projections. */
    public static final HyperParameter<Boolean> SAVE_PROJECTION = HyperParameter.ofBoolean("save-projection", true,
            "store the shared projections in checkpoints and exports; when false they are regenerated from projection-seed");

    /** Targeted modules. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<List> TARGETS = HyperParameter.ofList("targets", BERT_LINEAR_LAYERS,
            "modules to adapt: module-name suffixes, or one regular expression matching the whole name (as HF PEFT target_modules)");

    /** Excluded modules. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<List> EXCLUDE = HyperParameter.ofList("exclude", List.of(),
            "modules to skip even if targeted: suffixes or one regular expression, like targets");

    private static final List<HyperParameter<?>> ALL = List.of(R, PROJECTION_SEED, D_INITIAL, SAVE_PROJECTION, TARGETS, EXCLUDE);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "ELoRA/VeRA (Kopiczko et al. 2024): frozen shared random projections, trainable per-layer vectors d and b";
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
        int seed = params.get(PROJECTION_SEED);
        double d = params.get(D_INITIAL);
        if (d == 0 || !Double.isFinite(d)) {
            throw params.invalid(D_INITIAL.key(), "must be a finite non-zero number (with d = 0 and b = 0 nothing would ever train), got " + d);
        }
        boolean save = params.get(SAVE_PROJECTION);
        List<String> targets = params.getList(TARGETS.key(), BERT_LINEAR_LAYERS);
        List<String> exclude = params.getList(EXCLUDE.key(), List.of());
        return new EloraAdapter(params.path() + TARGETS.key(), r, seed, (float) d, save, targets, exclude);
    }
}
