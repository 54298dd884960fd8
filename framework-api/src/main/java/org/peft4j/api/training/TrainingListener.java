package org.peft4j.api.training;

import org.pf4j.ExtensionPoint;

/**
 * Observes a training run: metrics writers, progress displays, and the engine's own driver of
 * scorers and freeze schedules are listeners.
 *
 * <p>Contract: callbacks run on the training thread, in order ({@link #onRunStart}, then
 * {@link #onStep} per optimizer step and {@link #onEvaluation} per evaluation, then
 * {@link #onRunEnd}); they must be quick and must not keep the arrays of a {@link StepEvent}. An
 * exception thrown by a listener fails the run it observes, and only that run.
 */
public interface TrainingListener extends ExtensionPoint {

    /** Before the first step. */
    default void onRunStart(RunInfo run) {
    }

    /** After each optimizer step's backward pass, before its update. */
    default void onStep(StepEvent step) {
    }

    /** After each evaluation. */
    default void onEvaluation(EvaluationEvent evaluation) {
    }

    /** After the last step or a failure; {@code error} is null on success. */
    default void onRunEnd(RunInfo run, Throwable error) {
    }
}
