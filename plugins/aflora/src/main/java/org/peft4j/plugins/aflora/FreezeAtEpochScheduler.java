package org.peft4j.plugins.aflora;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.freeze.FreezeContext;
import org.peft4j.api.freeze.FreezeSchedule;
import org.peft4j.api.freeze.FreezeScheduler;
import org.pf4j.Extension;

/**
 * The {@code freeze-at-epoch} scheduler: freezes every remaining candidate at the first step of
 * epoch {@code epoch} (that is, when {@code step >= epoch · stepsPerEpoch}), whatever the scores;
 * the ablation of AFLoRA's authors that freezes all projections at once.
 *
 * <p>Contract: stateless and thread-safe; {@link #create} validates {@code epoch >= 0}; the
 * schedule reads no scores, so the engine may skip scoring.
 */
@Extension
public final class FreezeAtEpochScheduler implements FreezeScheduler {

    /** The id configs use. */
    public static final String ID = "freeze-at-epoch";

    /** The epoch at which everything freezes. */
    public static final HyperParameter<Integer> EPOCH = HyperParameter.ofInt("epoch", 1,
            "0-based epoch at whose first step every remaining freezable projection freezes (>= 0; 0 freezes after the first step)");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "freezes every freezable projection at the start of a given epoch";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return List.of(EPOCH);
    }

    @Override
    public FreezeSchedule create(HyperParameters params) {
        int epoch = params.get(EPOCH);
        if (epoch < 0) {
            throw params.invalid(EPOCH.key(), "must be >= 0, got " + epoch);
        }
        return new FreezeSchedule() {
            @Override
            public Set<String> select(FreezeContext context) {
                return context.step() >= (long) epoch * context.stepsPerEpoch() ? new LinkedHashSet<>(context.candidates()) : Set.of();
            }

            @Override
            public boolean usesScores() {
                return false;
            }

            @Override
            public String toString() {
                return ID + "(epoch=" + epoch + ")";
            }
        };
    }
}
