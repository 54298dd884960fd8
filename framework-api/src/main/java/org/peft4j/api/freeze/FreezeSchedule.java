package org.peft4j.api.freeze;

import java.util.Set;

/**
 * The per-run decision function of a {@link FreezeScheduler}.
 *
 * <p>Contract: {@link #select} is called once per optimizer step, after scoring, while any
 * candidate is left; it returns a subset of {@link FreezeContext#candidates()} (possibly empty,
 * never null). A selected tensor takes this step's update, then never changes again. A schedule
 * is a pure function of its context unless it documents otherwise, so resumed runs decide alike.
 */
public interface FreezeSchedule {

    /** The candidates to freeze at this step. */
    Set<String> select(FreezeContext context);

    /** Whether this schedule reads scores; when false the engine may skip scoring. */
    default boolean usesScores() {
        return true;
    }
}
