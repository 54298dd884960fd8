package org.peft4j.api.freeze;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link FreezeSchedule} decides from.
 *
 * @param step completed optimizer steps before this one (0 first)
 * @param totalSteps optimizer steps in the whole run
 * @param stepsPerEpoch optimizer steps per epoch
 * @param candidates still-trainable freezable tensors, in graph order
 * @param elementScores the scoring's element scores of the candidates (empty if the schedule uses none)
 */
public record FreezeContext(long step, long totalSteps, long stepsPerEpoch, List<String> candidates,
        Map<String, float[]> elementScores) {

    public FreezeContext {
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(elementScores, "elementScores");
        if (totalSteps <= 0 || stepsPerEpoch <= 0) {
            throw new IllegalArgumentException("totalSteps and stepsPerEpoch must be positive");
        }
    }

    /** The 0-based epoch of {@link #step()}. */
    public long epoch() {
        return step / stepsPerEpoch;
    }
}
