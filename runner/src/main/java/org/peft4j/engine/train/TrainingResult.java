package org.peft4j.engine.train;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peft4j.api.training.EvaluationEvent;
import org.peft4j.engine.ort.Device;

/**
 * The outcome of a run.
 *
 * <p>Contract: the per-step arrays have one entry per optimizer step of the whole run (resumed
 * runs included), so an interrupted-and-resumed run and an uninterrupted one give equal arrays;
 * {@code bestIndex} indexes {@code evaluations}, or is -1 when none ran. Parameter maps hold every
 * managed tensor (adapter and head) by name. Arrays are the caller's to keep.
 *
 * @param steps optimizer steps taken
 * @param losses training loss of every step
 * @param learningRates adapter-group learning rate of every step
 * @param trainableCounts trainable adapter scalars at every step
 * @param flops analytic FLOPs of every step
 * @param evaluations every evaluation, in order
 * @param bestIndex the best evaluation by the primary metric
 * @param primaryMetric the metric that picked it
 * @param finalParameters managed tensors after the last step
 * @param bestParameters managed tensors at the best evaluation
 * @param frozen tensors frozen by the schedule during the run
 * @param resumedFromStep the step this process resumed from, 0 for a fresh run
 * @param device the device the run used
 * @param measurements cost figures
 * @param artifactDirectories the compiled artifact directories this process used, in order (one
 *     per trainable set)
 * @param stepMillis wall time of each training step this process ran, in order (a resumed run
 *     measures only the steps after {@code resumedFromStep})
 */
public record TrainingResult(long steps, float[] losses, float[] learningRates, long[] trainableCounts, long[] flops,
        List<EvaluationEvent> evaluations, int bestIndex, String primaryMetric, Map<String, float[]> finalParameters,
        Map<String, float[]> bestParameters, Set<String> frozen, long resumedFromStep, Device device, RunMeasurements measurements,
        List<java.nio.file.Path> artifactDirectories, double[] stepMillis) {

    public TrainingResult {
        evaluations = List.copyOf(evaluations);
        artifactDirectories = List.copyOf(artifactDirectories);
        frozen = Set.copyOf(frozen);
    }

    /** The best evaluation, or null when none ran. */
    public EvaluationEvent best() {
        return bestIndex < 0 ? null : evaluations.get(bestIndex);
    }
}
