package org.peft4j.engine.train;

/**
 * The optimisation recipe of one run.
 *
 * <p>Contract (checked, with messages naming the field): {@code epochs >= 1},
 * {@code batchSize >= 1}, learning rates and weight decay finite and {@code >= 0},
 * {@code 0 <= warmupRatio <= 1}, {@code maxGradNorm >= 0} (0 disables clipping),
 * {@code evalEverySteps >= 0} (0 evaluates at the end of every epoch),
 * {@code checkpointEverySteps >= 0} (0 checkpoints only at the end, when a checkpoint directory
 * is set).
 *
 * @param epochs passes over the training data
 * @param batchSize examples per optimizer step (the last partial batch is padded and masked)
 * @param learningRate peak learning rate of the adapter parameters
 * @param headLearningRate peak learning rate of the classifier head
 * @param weightDecay decoupled weight decay of every trainable parameter
 * @param warmupRatio fraction of the steps of linear warm-up before linear decay to 0
 * @param maxGradNorm global gradient-norm clipping, 0 for none
 * @param seed seeds the data order
 * @param evalEverySteps evaluate every this many steps, or 0 for every epoch
 * @param checkpointEverySteps checkpoint every this many steps, or 0 for only at the end
 */
public record TrainingHyperparameters(int epochs, int batchSize, double learningRate, double headLearningRate, double weightDecay,
        double warmupRatio, double maxGradNorm, long seed, int evalEverySteps, int checkpointEverySteps) {

    public TrainingHyperparameters {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch-size must be >= 1, got " + batchSize);
        }
        check("learning-rate", learningRate);
        check("head-learning-rate", headLearningRate);
        check("weight-decay", weightDecay);
        check("max-grad-norm", maxGradNorm);
        if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
            throw new IllegalArgumentException("warmup-ratio must be in [0, 1], got " + warmupRatio);
        }
        if (evalEverySteps < 0 || checkpointEverySteps < 0) {
            throw new IllegalArgumentException("eval and checkpoint intervals must be >= 0");
        }
    }

    private static void check(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
    }
}
