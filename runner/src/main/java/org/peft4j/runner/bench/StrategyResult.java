package org.peft4j.runner.bench;

import java.util.Objects;

/**
 * The measured figures of one strategy at one batch shape.
 *
 * <p>The training step is what the trainer runs per batch: the training model (forward, loss,
 * gradients) followed by the AdamW model. Evaluation is one run of the evaluation model.
 *
 * @param strategy the strategy
 * @param batchSize examples per step
 * @param sequenceLength tokens per example
 * @param train training step times
 * @param trainModelOnly times of the training model alone (without the optimizer run)
 * @param eval evaluation step times
 * @param flopsPerStep analytic operations of one training step (training plus optimizer model)
 * @param evalFlops analytic operations of one evaluation run
 * @param trainableParameters trainable scalars, head included
 * @param compileSeconds seconds to build the artifacts and open the sessions
 * @param peakRssBytes peak resident memory while this strategy ran (see {@code rssScope}), -1 when unknown
 * @param rssScope {@code strategy} when the peak was reset before the strategy started,
 *     {@code process} when it is the process's peak so far
 * @param lastLoss the loss of the last timed step (random labels: only a sanity check)
 * @param rssAtStartBytes resident memory when the strategy started (after a GC), -1 when unknown
 * @param heapCommittedBytes Java heap committed at the end of the strategy, part of the resident memory
 */
public record StrategyResult(BenchStrategy strategy, int batchSize, int sequenceLength, StepStats train, StepStats trainModelOnly,
        StepStats eval, long flopsPerStep, long evalFlops, long trainableParameters, double compileSeconds, long peakRssBytes,
        String rssScope, double lastLoss, long rssAtStartBytes, long heapCommittedBytes) {

    public StrategyResult {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(trainModelOnly, "trainModelOnly");
        Objects.requireNonNull(eval, "eval");
        Objects.requireNonNull(rssScope, "rssScope");
    }

    /** Training examples per second at the median step time. */
    public double examplesPerSecond() {
        return train.median() <= 0 ? 0 : batchSize * 1000.0 / train.median();
    }

    /** Achieved GFLOP/s of the training step at the median step time. */
    public double gflopsPerSecond() {
        return train.median() <= 0 ? 0 : flopsPerStep / (train.median() * 1e6);
    }

    /** Achieved GFLOP/s of evaluation at the median evaluation time. */
    public double evalGflopsPerSecond() {
        return eval.median() <= 0 ? 0 : evalFlops / (eval.median() * 1e6);
    }
}
