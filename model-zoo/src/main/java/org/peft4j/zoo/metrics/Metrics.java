package org.peft4j.zoo.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The built-in metrics, by id.
 *
 * <ul>
 *   <li>{@code accuracy}: the fraction of predictions equal to the reference.</li>
 *   <li>{@code f1}: binary F1 of the positive class {@code 1}, {@code 2 TP / (2 TP + FP + FN)};
 *       0 when there is no true positive (also when the class occurs nowhere), as scikit-learn
 *       reports with {@code zero_division=0}.</li>
 *   <li>{@code matthews}: the Matthews correlation coefficient, in its multi-class form (Gorodkin's
 *       R_K), which equals the binary formula {@code (TP TN - FP FN) / sqrt(...)} for two classes;
 *       0 when the denominator is 0 (a constant prediction or reference), as scikit-learn does.</li>
 *   <li>{@code pearson}: Pearson's correlation coefficient; NaN when either array is constant.</li>
 *   <li>{@code spearman}: Spearman's rank correlation, with tied values given their average rank
 *       (Pearson's coefficient of the ranks); NaN when either array is constant.</li>
 * </ul>
 * Sums are accumulated in double precision. A non-finite regression prediction (a diverged model)
 * gives NaN rather than an error; references must be finite.
 */
public final class Metrics {

    private static final Map<String, Metric> BY_ID = new LinkedHashMap<>();

    static {
        register(new Simple("accuracy", true, Metrics::accuracy));
        register(new Simple("f1", true, Metrics::binaryF1));
        register(new Simple("matthews", true, Metrics::matthews));
        register(new Simple("pearson", false, Metrics::pearson));
        register(new Simple("spearman", false, Metrics::spearman));
    }

    private Metrics() {
    }

    /** The ids of every built-in metric, in a fixed order. */
    public static List<String> ids() {
        return List.copyOf(BY_ID.keySet());
    }

    /**
     * The metric with id {@code id}.
     *
     * @throws IllegalArgumentException naming the known ids when there is no such metric
     */
    public static Metric byId(String id) {
        Metric m = BY_ID.get(Objects.requireNonNull(id, "id"));
        if (m == null) {
            throw new IllegalArgumentException("unknown metric '" + id + "'; known metrics are " + ids());
        }
        return m;
    }

    /** Shorthand for {@code byId(id).compute(predictions, references)}. */
    public static double compute(String id, double[] predictions, double[] references) {
        return byId(id).compute(predictions, references);
    }

    /** The fraction of equal entries. */
    public static double accuracy(double[] predictions, double[] references) {
        check(predictions, references, true);
        int correct = 0;
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] == references[i]) {
                correct++;
            }
        }
        return (double) correct / predictions.length;
    }

    /** Binary F1 of class 1; see the class comment. */
    public static double binaryF1(double[] predictions, double[] references) {
        check(predictions, references, true);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < predictions.length; i++) {
            boolean p = predictions[i] == 1;
            boolean r = references[i] == 1;
            if (p && r) {
                tp++;
            } else if (p) {
                fp++;
            } else if (r) {
                fn++;
            }
        }
        return tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** The Matthews correlation coefficient (multi-class R_K); see the class comment. */
    public static double matthews(double[] predictions, double[] references) {
        check(predictions, references, true);
        int k = 0;
        for (int i = 0; i < predictions.length; i++) {
            k = Math.max(k, (int) Math.max(predictions[i], references[i]) + 1);
        }
        double[] predictedCount = new double[k];
        double[] trueCount = new double[k];
        double correct = 0;
        for (int i = 0; i < predictions.length; i++) {
            predictedCount[(int) predictions[i]]++;
            trueCount[(int) references[i]]++;
            if (predictions[i] == references[i]) {
                correct++;
            }
        }
        double s = predictions.length;
        double pk = 0;
        double pp = 0;
        double tt = 0;
        for (int c = 0; c < k; c++) {
            pk += predictedCount[c] * trueCount[c];
            pp += predictedCount[c] * predictedCount[c];
            tt += trueCount[c] * trueCount[c];
        }
        double denominator = Math.sqrt(s * s - pp) * Math.sqrt(s * s - tt);
        return denominator == 0 ? 0.0 : (correct * s - pk) / denominator;
    }

    /** Pearson's correlation coefficient; NaN when either array is constant. */
    public static double pearson(double[] predictions, double[] references) {
        check(predictions, references, false);
        if (!allFinite(predictions)) {
            return Double.NaN;
        }
        int n = predictions.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += predictions[i];
            my += references[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = predictions[i] - mx;
            double dy = references[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** Spearman's rank correlation with average ranks for ties; NaN when either array is constant. */
    public static double spearman(double[] predictions, double[] references) {
        check(predictions, references, false);
        if (!allFinite(predictions)) {
            return Double.NaN;
        }
        return pearson(ranks(predictions), ranks(references));
    }

    /** The 1-based ranks of {@code values}, tied values sharing the mean of their ranks. */
    static double[] ranks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int m = i; m <= j; m++) {
                ranks[order[m]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    private static void check(double[] predictions, double[] references, boolean classes) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(references, "references");
        if (predictions.length != references.length) {
            throw new IllegalArgumentException(predictions.length + " predictions but " + references.length + " references");
        }
        if (predictions.length == 0) {
            throw new IllegalArgumentException("a metric needs at least one prediction");
        }
        for (int i = 0; i < predictions.length; i++) {
            if (classes) {
                checkClass(predictions[i], "prediction", i);
                checkClass(references[i], "reference", i);
            } else if (!Double.isFinite(references[i])) {
                throw new IllegalArgumentException("reference " + i + " is not finite: " + references[i]);
            }
        }
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static void checkClass(double v, String what, int i) {
        if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException(what + " " + i + " is " + v + ", not a class index");
        }
    }

    private static void register(Metric m) {
        BY_ID.put(m.id(), m);
    }

    /** Computes a score from predictions and references. */
    private interface Score {
        double apply(double[] predictions, double[] references);
    }

    private record Simple(String id, boolean classification, Score score) implements Metric {
        @Override
        public double compute(double[] predictions, double[] references) {
            return score.apply(predictions, references);
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
