package org.peft4j.runner.export;

import java.util.ArrayList;
import java.util.List;
import org.peft4j.api.data.Dataset;

/**
 * Turns logits into what {@code peft4j predict} prints.
 *
 * <p>Contract: for classification, each prediction is the arg-max label with its softmax
 * probability (ties go to the lower index); for regression, the label is empty and the score is the
 * single output.
 */
public final class Predictions {

    private Predictions() {
    }

    /**
     * One prediction.
     *
     * @param index the class index (0 for regression)
     * @param label the class name (empty for regression)
     * @param score the probability of the label, or the regression output
     */
    public record Prediction(int index, String label, double score) {
    }

    /** The predictions of {@code logits}, {@code [n, numOutputs]} row-major. */
    public static List<Prediction> of(float[] logits, Dataset.TaskType task, List<String> labels) {
        int k = task == Dataset.TaskType.CLASSIFICATION ? labels.size() : 1;
        if (k < 1 || logits.length % k != 0) {
            throw new IllegalArgumentException(logits.length + " logits do not divide into rows of " + k);
        }
        List<Prediction> out = new ArrayList<>(logits.length / k);
        for (int row = 0; row < logits.length / k; row++) {
            if (task == Dataset.TaskType.REGRESSION) {
                out.add(new Prediction(0, "", logits[row]));
                continue;
            }
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                if (logits[row * k + j] > max) {
                    max = logits[row * k + j];
                    best = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(logits[row * k + j] - max);
            }
            out.add(new Prediction(best, labels.get(best), 1.0 / sum));
        }
        return out;
    }
}
