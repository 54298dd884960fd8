package org.peft4j.plugins.aflora;

import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.freeze.FreezeSchedule;
import org.peft4j.api.freeze.FreezeScheduler;
import org.pf4j.Extension;

/**
 * The {@code aflora-cubic} scheduler: no freezing during {@code initial-warmup} epochs, a cubic
 * decay of the fraction of the pool that stays trainable, checked every {@code window} steps, and
 * everything left frozen once the last {@code final-warmup} epochs begin. See {@link CubicSchedule}.
 *
 * <p>Contract: stateless and thread-safe; {@link #create} validates that both warmups are finite
 * and {@code >= 0} and that {@code window >= 1}. The defaults ({@code t_i = 1}, {@code t_f = 7})
 * are the spec's for 10-epoch runs (SST-2, QNLI); for 20-epoch runs the spec uses
 * {@code t_f = 14}. A run shorter than {@code t_i + t_f} epochs has no cubic phase: it freezes
 * everything at the first step after {@code t_i} epochs.
 */
@Extension
public final class AfloraCubicScheduler implements FreezeScheduler {

    /** The id configs use. */
    public static final String ID = "aflora-cubic";

    /** t_i in epochs. */
    public static final HyperParameter<Double> INITIAL_WARMUP = HyperParameter.ofDouble("initial-warmup", 1.0,
            "epochs t_i at the start during which nothing freezes (>= 0, may be fractional)");

    /** t_f in epochs. */
    public static final HyperParameter<Double> FINAL_WARMUP = HyperParameter.ofDouble("final-warmup", 7.0,
            "epochs t_f at the end during which nothing is left trainable: every remaining projection freezes when they begin (>= 0)");

    /** Check interval ΔT. */
    public static final HyperParameter<Integer> WINDOW = HyperParameter.ofInt("window", 10,
            "during the cubic phase a freeze check happens only at steps that are multiples of this interval (at least 1)");

    private static final List<HyperParameter<?>> ALL = List.of(INITIAL_WARMUP, FINAL_WARMUP, WINDOW);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "AFLoRA cubic freezing schedule: the k-th smallest element score sets the threshold on matrix scores";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return ALL;
    }

    @Override
    public FreezeSchedule create(HyperParameters params) {
        double ti = params.get(INITIAL_WARMUP);
        if (!(ti >= 0) || Double.isInfinite(ti)) {
            throw params.invalid(INITIAL_WARMUP.key(), "must be a finite number of epochs >= 0, got " + ti);
        }
        double tf = params.get(FINAL_WARMUP);
        if (!(tf >= 0) || Double.isInfinite(tf)) {
            throw params.invalid(FINAL_WARMUP.key(), "must be a finite number of epochs >= 0, got " + tf);
        }
        int window = params.get(WINDOW);
        if (window < 1) {
            throw params.invalid(WINDOW.key(), "must be at least 1 step, got " + window);
        }
        return new CubicSchedule(ti, tf, window);
    }
}
