package org.peft4j.engine.optim;

/**
 * The AdamW constants baked into an optimizer graph.
 *
 * <p>Contract: {@code 0 <= beta1, beta2 < 1}, {@code epsilon > 0}; {@code maxGradNorm <= 0}
 * disables clipping. Defaults follow PyTorch: betas 0.9 and 0.999, epsilon 1e-8.
 *
 * @param beta1 decay of the first moment
 * @param beta2 decay of the second moment
 * @param epsilon added to the denominator
 * @param maxGradNorm the global L2 norm gradients are clipped to, or 0 for no clipping
 */
public record AdamWSettings(double beta1, double beta2, double epsilon, double maxGradNorm) {

    public AdamWSettings {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be positive and finite, got " + epsilon);
        }
        if (Double.isNaN(maxGradNorm) || Double.isInfinite(maxGradNorm)) {
            throw new IllegalArgumentException("max gradient norm must be finite, got " + maxGradNorm);
        }
    }

    /** PyTorch's defaults with the given clipping norm. */
    public static AdamWSettings defaults(double maxGradNorm) {
        return new AdamWSettings(0.9, 0.999, 1e-8, maxGradNorm);
    }
}
