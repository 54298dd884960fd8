package org.peft4j.api.method;

import java.util.Collection;
import java.util.Set;

/**
 * How many adapter scalars are in each state at one point of a run, computed from the
 * {@link AdapterParameter}s an adapter registered and the names frozen so far.
 *
 * <p>Contract: the four counts partition every registered scalar: {@code trainable} counts the
 * parameters that train now (declared trainable and not frozen); {@code freezable} is the part of
 * {@code trainable} that a freeze schedule may still freeze; {@code frozen} counts trainable
 * parameters frozen by a schedule; {@code constants} counts tensors that never train (ELoRA's
 * shared projections, AFLoRA's frozen random projections). The classification head is not an
 * adapter parameter and is never counted here.
 *
 * @param trainable scalars that train now
 * @param freezable scalars that train now and may still be frozen
 * @param frozen scalars frozen by a schedule
 * @param constants scalars that never train
 */
public record ParameterCounts(long trainable, long freezable, long frozen, long constants) {

    public ParameterCounts {
        if (trainable < 0 || freezable < 0 || frozen < 0 || constants < 0 || freezable > trainable) {
            throw new IllegalArgumentException("inconsistent counts: trainable " + trainable + ", freezable " + freezable
                    + ", frozen " + frozen + ", constants " + constants);
        }
    }

    /**
     * The counts of {@code parameters} when the names in {@code frozenNames} have been frozen.
     *
     * @param parameters every registered adapter tensor
     * @param frozenNames names of parameters frozen by a schedule; names of parameters that are
     *     not trainable are ignored
     */
    public static ParameterCounts of(Collection<AdapterParameter> parameters, Set<String> frozenNames) {
        long trainable = 0;
        long freezable = 0;
        long frozen = 0;
        long constants = 0;
        for (AdapterParameter p : parameters) {
            long n = p.elementCount();
            if (!p.trainable()) {
                constants += n;
            } else if (frozenNames.contains(p.name())) {
                frozen += n;
            } else {
                trainable += n;
                if (p.freezable()) {
                    freezable += n;
                }
            }
        }
        return new ParameterCounts(trainable, freezable, frozen, constants);
    }

    /** The counts at the first step, before anything froze. */
    public static ParameterCounts initial(Collection<AdapterParameter> parameters) {
        return of(parameters, Set.of());
    }

    /** Scalars that never freeze while training: {@code trainable - freezable}. */
    public long permanent() {
        return trainable - freezable;
    }

    /** Every registered scalar. */
    public long total() {
        return trainable + frozen + constants;
    }
}
