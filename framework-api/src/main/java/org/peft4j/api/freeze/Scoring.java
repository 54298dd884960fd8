package org.peft4j.api.freeze;

import java.util.Map;
import java.util.Set;
import org.peft4j.api.training.ParameterState;

/**
 * The per-run state of a {@link ParameterScorer}.
 *
 * <p>Contract: {@link #observe} is called once per optimizer step, with the step's raw gradients
 * of the still-trainable freeze candidates only. {@link #elementScores} returns one score per
 * element of every tracked tensor (higher means more important to keep training); the arrays are
 * owned by the scoring and valid until the next {@link #observe}. {@link #release} stops tracking
 * frozen tensors. {@link #state} and {@link #restore} round-trip exactly, so a resumed run scores
 * as an uninterrupted one.
 */
public interface Scoring {

    /**
     * Records one step.
     *
     * @param step completed optimizer steps before this one (0 first)
     * @param candidates the still-trainable freeze candidates by name
     */
    void observe(long step, Map<String, ParameterState> candidates);

    /** Element scores of every tracked tensor, by name; read-only. */
    Map<String, float[]> elementScores();

    /** Stops tracking the given tensors. */
    void release(Set<String> frozen);

    /** The full state for a checkpoint, as named float arrays (copies). */
    Map<String, float[]> state();

    /** Restores a state produced by {@link #state()}. */
    void restore(Map<String, float[]> state);
}
