package org.peft4j.runner.results;

import java.util.List;
import java.util.Map;

/**
 * Everything measured in one run (one strategy on one dataset with one seed).
 *
 * @param runId unique id, {@code <strategy>/<dataset>/seed-<n>}
 * @param strategy the strategy's name
 * @param dataset the dataset's name
 * @param seed the seed
 * @param status {@code finished} or {@code failed}
 * @param failure the reason of a failed run (one line), else null
 * @param provenance which extensions with which effective hyperparameters made this run
 * @param primaryMetric the dataset's official metric id, used to choose the best epoch
 * @param bestEpoch the 0-based epoch with the best validation value of the primary metric (-1 if none)
 * @param validation metric id to value at the best epoch, on the validation split
 * @param test metric id to value at the best epoch, on the test split
 * @param parameters trainable-parameter accounting
 * @param timing runtime, throughput, FLOPs and memory
 * @param epochs per-evaluation records, in order
 * @param losses training loss per optimizer step (index = step)
 * @param trainableCounts trainable adapter parameters per optimizer step (index = step)
 * @param freezes every freeze decision, in order
 * @param directory the run's directory, relative to the comparison directory
 */
public record RunResult(String runId, String strategy, String dataset, long seed, String status, String failure, Provenance provenance,
        String primaryMetric, int bestEpoch, Map<String, Double> validation, Map<String, Double> test, ParameterAccounting parameters,
        Timing timing, List<EpochRecord> epochs, List<Double> losses, List<Long> trainableCounts, List<FreezeEvent> freezes,
        String directory) {

    /** Whether the run finished. */
    public boolean finished() {
        return "finished".equals(status);
    }

    /**
     * The extensions and settings that made a run.
     *
     * @param method method id
     * @param methodOrigin {@code plugin@version} of the method
     * @param methodParams effective method hyperparameters
     * @param scorer scorer id or null
     * @param scorerOrigin its origin or null
     * @param scorerParams its effective hyperparameters (empty if none)
     * @param scheduler scheduler id or null
     * @param schedulerOrigin its origin or null
     * @param schedulerParams its effective hyperparameters (empty if none)
     * @param model model id
     * @param modelParams model hyperparameters
     * @param training the effective training recipe
     * @param device the device the run used ({@code cpu} or {@code cuda})
     */
    public record Provenance(String method, String methodOrigin, Map<String, Object> methodParams, String scorer, String scorerOrigin,
            Map<String, Object> scorerParams, String scheduler, String schedulerOrigin, Map<String, Object> schedulerParams, String model,
            Map<String, Object> modelParams, Map<String, Object> training, String device) {
    }

    /**
     * Trainable-parameter counts; adapters and head are counted apart.
     *
     * @param initial adapter parameters trainable at the first step
     * @param finalCount adapter parameters trainable at the last step
     * @param timeAveraged mean over all steps of the trainable adapter parameters
     * @param head trainable parameters of the task head
     * @param frozenAdapterConstants adapter tensors that never train (such as ELoRA's shared projections)
     */
    public record ParameterAccounting(long initial, long finalCount, double timeAveraged, long head, long frozenAdapterConstants) {
    }

    /**
     * Runtime measurements.
     *
     * @param wallSeconds wall time of training and evaluation
     * @param trainSeconds wall time of training steps only
     * @param medianStepMillis median training-step time
     * @param p90StepMillis 90th-percentile training-step time
     * @param examplesPerSecond training throughput
     * @param flopsPerStepInitial analytic FLOPs of one training step at the start
     * @param flopsPerStepFinal analytic FLOPs of one training step at the end (after freezing)
     * @param totalFlops analytic FLOPs of all training steps
     * @param peakRssBytes peak resident memory of the process
     * @param steps optimizer steps taken
     * @param stepMillis training-step time per step (index = step)
     */
    public record Timing(double wallSeconds, double trainSeconds, double medianStepMillis, double p90StepMillis, double examplesPerSecond,
            double flopsPerStepInitial, double flopsPerStepFinal, double totalFlops, long peakRssBytes, long steps, List<Double> stepMillis) {
    }

    /**
     * One evaluation.
     *
     * @param epoch 0-based epoch
     * @param step completed optimizer steps
     * @param trainLoss mean training loss since the previous evaluation
     * @param validation metric values on the validation split
     */
    public record EpochRecord(int epoch, long step, double trainLoss, Map<String, Double> validation) {
    }

    /**
     * One tensor frozen by the schedule.
     *
     * @param step the optimizer step at which it froze
     * @param parameter the tensor's name
     * @param module the adapted module, such as {@code encoder.layer.3.intermediate.dense}
     * @param role its role, such as {@code aflora_A}
     */
    public record FreezeEvent(long step, String parameter, String module, String role) {
    }
}
