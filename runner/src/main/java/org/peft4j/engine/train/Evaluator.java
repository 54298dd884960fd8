package org.peft4j.engine.train;

import java.util.List;
import java.util.Map;

/**
 * Turns the logits of a whole evaluation split into metrics.
 *
 * <p>Contract: {@link #metrics()} is non-empty and its first id is the primary metric, higher
 * being better (it picks the best evaluation); {@link #evaluate} returns a value for every id.
 */
public interface Evaluator {

    /** Metric ids, the primary first. */
    List<String> metrics();

    /**
     * @param logits row-major {@code [N, C]} outputs of the head for the split's {@code N} examples
     * @param numOutputs C
     * @param data the split
     * @return metric id to value
     */
    Map<String, Double> evaluate(float[] logits, int numOutputs, EncodedDataset data);

    /** Accuracy for classification, Pearson correlation for regression. */
    static Evaluator defaultFor(org.peft4j.api.data.Dataset.TaskType task) {
        return task == org.peft4j.api.data.Dataset.TaskType.CLASSIFICATION ? new Evaluator() {
            @Override
            public List<String> metrics() {
                return List.of("accuracy");
            }

            @Override
            public Map<String, Double> evaluate(float[] logits, int c, EncodedDataset data) {
                int correct = 0;
                for (int i = 0; i < data.size(); i++) {
                    int best = 0;
                    for (int k = 1; k < c; k++) {
                        if (logits[i * c + k] > logits[i * c + best]) {
                            best = k;
                        }
                    }
                    correct += best == data.label(i) ? 1 : 0;
                }
                return Map.of("accuracy", (double) correct / data.size());
            }
        } : new Evaluator() {
            @Override
            public List<String> metrics() {
                return List.of("pearson");
            }

            @Override
            public Map<String, Double> evaluate(float[] logits, int c, EncodedDataset data) {
                int n = data.size();
                double mx = 0;
                double my = 0;
                for (int i = 0; i < n; i++) {
                    mx += logits[i * c];
                    my += data.target(i);
                }
                mx /= n;
                my /= n;
                double sxy = 0;
                double sxx = 0;
                double syy = 0;
                for (int i = 0; i < n; i++) {
                    double dx = logits[i * c] - mx;
                    double dy = data.target(i) - my;
                    sxy += dx * dy;
                    sxx += dx * dx;
                    syy += dy * dy;
                }
                return Map.of("pearson", sxx == 0 || syy == 0 ? 0.0 : sxy / Math.sqrt(sxx * syy));
            }
        };
    }
}
