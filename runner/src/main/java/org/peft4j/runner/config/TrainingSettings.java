package org.peft4j.runner.config;

import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;

/**
 * The training recipe of one run: the {@code training} section of a config, with a strategy's own
 * {@code training} overrides merged over it.
 *
 * @param epochs passes over the training split
 * @param batchSize examples per optimizer step
 * @param maxLength tokens per example (truncated and padded)
 * @param learningRate peak learning rate of adapter parameters
 * @param headLearningRate peak learning rate of the classifier head
 * @param weightDecay decoupled AdamW weight decay (adapter and head)
 * @param warmupRatio fraction of steps with linear warm-up before linear decay
 * @param maxGradNorm global gradient-norm clipping threshold (0 disables)
 * @param evalEverySteps evaluate every this many steps; 0 evaluates at the end of each epoch
 * @param maxTrainExamples use at most this many training examples (0: all)
 * @param device {@code cpu} or {@code cuda}
 * @param deviceFallback {@code cpu} to fall back when CUDA is unavailable, or {@code fail}
 * @param checkpointEverySteps save a checkpoint every this many steps (0: only at the end)
 * @param evaluateTest evaluate the best epoch on the test split; {@code false} keeps the test split
 *     untouched, for choosing hyperparameters on the validation split alone
 */
public record TrainingSettings(int epochs, int batchSize, int maxLength, double learningRate, double headLearningRate,
        double weightDecay, double warmupRatio, double maxGradNorm, int evalEverySteps, int maxTrainExamples, String device,
        String deviceFallback, int checkpointEverySteps, boolean evaluateTest) {

    /** Every key of the {@code training} section, with defaults (the published recipe where it applies). */
    public static final List<HyperParameter<?>> DECLARATIONS = List.of(
            HyperParameter.ofInt("epochs", 3, "passes over the training split"),
            HyperParameter.ofInt("batch-size", 16, "examples per optimizer step"),
            HyperParameter.ofInt("max-length", 128, "tokens per example, truncated and padded"),
            HyperParameter.ofDouble("learning-rate", 1e-3, "peak learning rate of the adapter parameters"),
            HyperParameter.ofDouble("head-learning-rate", 1e-3, "peak learning rate of the classification head"),
            HyperParameter.ofDouble("weight-decay", 0.1, "decoupled AdamW weight decay, adapters and head"),
            HyperParameter.ofDouble("warmup-ratio", 0.06, "fraction of steps of linear warm-up before linear decay"),
            HyperParameter.ofDouble("max-grad-norm", 0.1, "global gradient-norm clipping threshold; 0 disables clipping"),
            HyperParameter.ofInt("eval-every-steps", 0, "evaluate every N optimizer steps; 0 evaluates after every epoch"),
            HyperParameter.ofInt("max-train-examples", 0, "use at most N training examples; 0 uses all"),
            HyperParameter.ofString("device", "cpu", "cpu, or cuda (needs the cuda build profile and a GPU)"),
            HyperParameter.ofString("device-fallback", "cpu", "when CUDA is unavailable: cpu (one warning line) or fail"),
            HyperParameter.ofInt("checkpoint-every-steps", 0, "save a checkpoint every N steps; 0 saves only at the end"),
            HyperParameter.ofBoolean("evaluate-test", true,
                    "evaluate the best epoch on the test split; false leaves it untouched (hyperparameter sweeps)"));

    /** Reads and checks the settings. */
    public static TrainingSettings from(HyperParameters p) {
        TrainingSettings s = new TrainingSettings(
                p.getInt("epochs", 3), p.getInt("batch-size", 16), p.getInt("max-length", 128),
                p.getDouble("learning-rate", 1e-3), p.getDouble("head-learning-rate", 1e-3), p.getDouble("weight-decay", 0.1),
                p.getDouble("warmup-ratio", 0.06), p.getDouble("max-grad-norm", 0.1), p.getInt("eval-every-steps", 0),
                p.getInt("max-train-examples", 0), p.getString("device", "cpu"), p.getString("device-fallback", "cpu"),
                p.getInt("checkpoint-every-steps", 0), p.getBoolean("evaluate-test", true));
        if (s.epochs < 1) {
            throw p.invalid("epochs", "must be at least 1, found " + s.epochs);
        }
        if (s.batchSize < 1) {
            throw p.invalid("batch-size", "must be at least 1, found " + s.batchSize);
        }
        if (s.maxLength < 2) {
            throw p.invalid("max-length", "must be at least 2, found " + s.maxLength);
        }
        if (!(s.learningRate > 0)) {
            throw p.invalid("learning-rate", "must be positive, found " + s.learningRate);
        }
        if (!(s.headLearningRate > 0)) {
            throw p.invalid("head-learning-rate", "must be positive, found " + s.headLearningRate);
        }
        if (s.weightDecay < 0) {
            throw p.invalid("weight-decay", "must not be negative, found " + s.weightDecay);
        }
        if (s.warmupRatio < 0 || s.warmupRatio >= 1) {
            throw p.invalid("warmup-ratio", "must be in [0, 1), found " + s.warmupRatio);
        }
        if (s.maxGradNorm < 0) {
            throw p.invalid("max-grad-norm", "must not be negative, found " + s.maxGradNorm);
        }
        if (s.evalEverySteps < 0 || s.maxTrainExamples < 0 || s.checkpointEverySteps < 0) {
            String key = s.evalEverySteps < 0 ? "eval-every-steps" : s.maxTrainExamples < 0 ? "max-train-examples" : "checkpoint-every-steps";
            throw p.invalid(key, "must not be negative");
        }
        if (!List.of("cpu", "cuda").contains(s.device)) {
            throw p.invalid("device", "expected cpu or cuda, found '" + s.device + "'");
        }
        if (!List.of("cpu", "fail").contains(s.deviceFallback)) {
            throw p.invalid("device-fallback", "expected cpu or fail, found '" + s.deviceFallback + "'");
        }
        return s;
    }
}
