package org.peft4j.runner.bench;

import java.util.Arrays;

/**
 * Summary of timed repetitions, in milliseconds.
 *
 * <p>Contract: {@code count >= 1}; {@code min <= p10 <= median <= p90 <= max}. Percentiles use
 * linear interpolation between the sorted samples.
 *
 * @param count the number of samples
 * @param median the median
 * @param p10 the 10th percentile
 * @param p90 the 90th percentile
 * @param min the fastest sample
 * @param max the slowest sample
 */
public record StepStats(int count, double median, double p10, double p90, double min, double max) {

    public StepStats {
        if (count < 1) {
            throw new IllegalArgumentException("step statistics need at least one sample, got " + count);
        }
    }

    /**
     * Statistics of {@code millis}.
     *
     * @throws IllegalArgumentException when {@code millis} is empty
     */
    public static StepStats of(double[] millis) {
        if (millis.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] s = millis.clone();
        Arrays.sort(s);
        return new StepStats(s.length, percentile(s, 0.5), percentile(s, 0.1), percentile(s, 0.9), s[0], s[s.length - 1]);
    }

    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The relative spread {@code (p90 - p10) / median}, 0 when the median is 0. */
    public double spread() {
        return median == 0 ? 0 : (p90 - p10) / median;
    }
}
