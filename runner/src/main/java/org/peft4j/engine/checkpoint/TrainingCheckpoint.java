package org.peft4j.engine.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.peft4j.api.training.EvaluationEvent;

/**
 * Everything a run needs to continue exactly where it stopped.
 *
 * <p>Contract: {@code values} holds every managed parameter (trainable or frozen);
 * {@code moments} holds {@code [exp_avg, exp_avg_sq]} of every still-trainable one; the history
 * arrays have one entry per completed step; {@code bestIndex} indexes {@code evaluations} (or is
 * -1 before the first evaluation) and {@code bestValues} holds the managed parameters at that
 * evaluation. Arrays are not copied: the checkpoint owns them once built.
 *
 * @param fingerprint identifies the configuration; resuming under another one is an error
 * @param step completed optimizer steps
 * @param epochRngState the data-order generator's state at the start of the current epoch
 * @param values managed parameter values
 * @param moments optimizer moments of the trainable parameters
 * @param frozen parameters frozen by the schedule so far
 * @param scorerState the scoring's state, possibly empty
 * @param losses loss of every completed step
 * @param learningRates adapter-group learning rate of every completed step
 * @param trainableCounts trainable adapter scalars at every completed step
 * @param flops FLOPs of every completed step
 * @param evaluations evaluations so far
 * @param bestIndex index of the best evaluation, or -1
 * @param bestValues managed parameter values at the best evaluation (empty before the first)
 */
public record TrainingCheckpoint(String fingerprint, long step, long epochRngState, Map<String, float[]> values,
        Map<String, float[][]> moments, Set<String> frozen, Map<String, float[]> scorerState, float[] losses, float[] learningRates,
        long[] trainableCounts, long[] flops, List<EvaluationEvent> evaluations, int bestIndex, Map<String, float[]> bestValues) {

    public TrainingCheckpoint {
        Objects.requireNonNull(fingerprint, "fingerprint");
        values = new LinkedHashMap<>(values);
        moments = new LinkedHashMap<>(moments);
        frozen = Set.copyOf(frozen);
        scorerState = new LinkedHashMap<>(scorerState);
        evaluations = List.copyOf(evaluations);
        bestValues = new LinkedHashMap<>(bestValues);
        Objects.requireNonNull(losses, "losses");
        Objects.requireNonNull(learningRates, "learningRates");
        Objects.requireNonNull(trainableCounts, "trainableCounts");
        Objects.requireNonNull(flops, "flops");
        if (losses.length != step || learningRates.length != step || trainableCounts.length != step || flops.length != step) {
            throw new IllegalArgumentException("history arrays must have one entry per step (" + step + ")");
        }
        if (bestIndex < -1 || bestIndex >= evaluations.size()) {
            throw new IllegalArgumentException("best evaluation index " + bestIndex + " out of range");
        }
    }
}
