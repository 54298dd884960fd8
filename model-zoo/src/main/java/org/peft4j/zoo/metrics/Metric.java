package org.peft4j.zoo.metrics;

/**
 * One evaluation metric.
 *
 * <p>Contract: {@link #compute} takes two arrays of the same, non-zero length: the predictions and
 * the references (gold values). For classification metrics both hold class indices (as doubles,
 * each a whole number {@code >= 0}); for regression metrics they hold real values. It returns the
 * score (higher is better for every metric here) and never modifies its arguments. It throws
 * {@link IllegalArgumentException} when the lengths differ, the arrays are empty, or a
 * classification array holds a value that is not a class index. Implementations are stateless and
 * thread-safe.
 */
public interface Metric {

    /** The metric's id, such as {@code accuracy}. */
    String id();

    /** Whether the metric compares class indices (true) or real values (false). */
    boolean classification();

    /**
     * The score of {@code predictions} against {@code references}.
     *
     * @param predictions predicted class indices or values
     * @param references gold class indices or values
     */
    double compute(double[] predictions, double[] references);
}
