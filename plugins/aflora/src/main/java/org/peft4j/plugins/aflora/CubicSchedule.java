package org.peft4j.plugins.aflora;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peft4j.api.freeze.FreezeContext;
import org.peft4j.api.freeze.FreezeSchedule;

/**
 * AFLoRA's freezing schedule and decision.
 *
 * <p>With {@code g} the completed steps, {@code T} the total steps, {@code spe} the steps per
 * epoch, {@code a = t_i·spe} and {@code z = T − t_f·spe}:
 * <pre>
 * g ≤ a        θ = 1                       (nothing freezes)
 * g > z        θ = 0                       (checked every step: every candidate freezes)
 * otherwise    θ = (1 − (g − a) / (z − a))³, checked only when g mod ΔT == 0
 * </pre>
 * (At {@code g = z} itself the cubic gives {@code θ = 0}, so {@code τ} is the largest element
 * score and only matrices whose mean is below it freeze; the rest go at the next step.)
 * At a check the element scores of all candidates are concatenated ({@code N} elements),
 * {@code k = ⌊N (1 − θ)⌋}; if {@code k ≥ 1}, {@code τ} is the k-th smallest element score and
 * every candidate whose mean element score is below {@code τ} freezes.
 *
 * <p>Contract: as {@link FreezeSchedule}; a pure function of its context, immutable and
 * thread-safe. At a cubic-phase check every candidate must have element scores of non-zero
 * length, else {@link IllegalStateException} names it.
 */
public final class CubicSchedule implements FreezeSchedule {

    private final double initialWarmup;
    private final double finalWarmup;
    private final int window;

    /**
     * @param initialWarmup t_i in epochs, {@code >= 0}
     * @param finalWarmup t_f in epochs, {@code >= 0}
     * @param window ΔT in steps, {@code >= 1}
     */
    public CubicSchedule(double initialWarmup, double finalWarmup, int window) {
        if (!(initialWarmup >= 0) || !(finalWarmup >= 0) || window < 1) {
            throw new IllegalArgumentException("warmups must be >= 0 and window >= 1, got " + initialWarmup + ", " + finalWarmup
                    + ", " + window);
        }
        this.initialWarmup = initialWarmup;
        this.finalWarmup = finalWarmup;
        this.window = window;
    }

    /**
     * The fraction θ of the pool that stays trainable at step {@code g}: 1 in the initial warmup,
     * 0 in the final phase, the cubic in between.
     */
    public double theta(long g, long totalSteps, long stepsPerEpoch) {
        double a = initialWarmup * stepsPerEpoch;
        double z = totalSteps - finalWarmup * stepsPerEpoch;
        if (g <= a) {
            return 1;
        }
        if (g > z) {
            return 0;
        }
        double m = 1 - (g - a) / (z - a);
        return m * m * m;
    }

    /** Whether a freeze decision is taken at step {@code g}. */
    public boolean isCheck(long g, long totalSteps, long stepsPerEpoch) {
        double a = initialWarmup * stepsPerEpoch;
        double z = totalSteps - finalWarmup * stepsPerEpoch;
        if (g <= a) {
            return false;
        }
        return g > z || g % window == 0;
    }

    @Override
    public Set<String> select(FreezeContext context) {
        long g = context.step();
        long total = context.totalSteps();
        long spe = context.stepsPerEpoch();
        List<String> candidates = context.candidates();
        if (candidates.isEmpty() || !isCheck(g, total, spe)) {
            return Set.of();
        }
        if (g > total - finalWarmup * spe) {
            return new LinkedHashSet<>(candidates);
        }
        double theta = theta(g, total, spe);
        Map<String, float[]> scores = context.elementScores();
        long n = 0;
        for (String c : candidates) {
            float[] s = scores.get(c);
            if (s == null || s.length == 0) {
                throw new IllegalStateException("the freeze schedule needs element scores of candidate '" + c
                        + "' at step " + g + ", but the scoring has none");
            }
            n += s.length;
        }
        long k = (long) Math.floor(n * (1 - theta));
        if (k < 1) {
            return Set.of();
        }
        float[] all = new float[Math.toIntExact(n)];
        int pos = 0;
        for (String c : candidates) {
            float[] s = scores.get(c);
            System.arraycopy(s, 0, all, pos, s.length);
            pos += s.length;
        }
        Arrays.sort(all);
        double tau = all[(int) (k - 1)];
        Set<String> frozen = new LinkedHashSet<>();
        for (String c : candidates) {
            if (mean(scores.get(c)) < tau) {
                frozen.add(c);
            }
        }
        return frozen;
    }

    static double mean(float[] s) {
        double sum = 0;
        for (float v : s) {
            sum += v;
        }
        return sum / s.length;
    }
}
