package org.peft4j.engine.train;

/**
 * Linear warm-up then linear decay to zero, as Hugging Face's
 * {@code get_linear_schedule_with_warmup}: with {@code W = ceil(ratio * T)} warm-up steps, the
 * update of 0-based step {@code s} uses the factor {@code s / W} while {@code s < W}, then
 * {@code (T - s) / (T - W)}, never below 0.
 *
 * <p>Contract: {@link #factor} is a pure function of the step.
 */
public final class LinearSchedule {

    private final long totalSteps;
    private final long warmupSteps;

    /**
     * @param totalSteps optimizer steps of the run, {@code >= 1}
     * @param warmupRatio fraction of warm-up steps in {@code [0, 1]}
     */
    public LinearSchedule(long totalSteps, double warmupRatio) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("total steps must be >= 1, got " + totalSteps);
        }
        this.totalSteps = totalSteps;
        this.warmupSteps = (long) Math.ceil(warmupRatio * totalSteps);
    }

    /** The number of warm-up steps. */
    public long warmupSteps() {
        return warmupSteps;
    }

    /** The multiplier of the peak learning rate for the update of 0-based step {@code step}. */
    public double factor(long step) {
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);
        }
        return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}
