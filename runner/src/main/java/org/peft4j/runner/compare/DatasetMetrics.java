package org.peft4j.runner.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.data.Dataset;
import org.peft4j.engine.train.EncodedDataset;
import org.peft4j.engine.train.Evaluator;
import org.peft4j.zoo.metrics.Metrics;

/**
 * Evaluates logits with a dataset's own metrics (its official one first): the arg-max class for
 * classification, the single output for regression.
 */
public final class DatasetMetrics implements Evaluator {

    private final List<String> metrics;
    private final Dataset.TaskType task;

    /** @param dataset the dataset whose metrics to compute */
    public DatasetMetrics(Dataset dataset) {
        Objects.requireNonNull(dataset, "dataset");
        this.metrics = List.copyOf(dataset.metrics());
        this.task = dataset.taskType();
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("dataset " + dataset.name() + " names no metric");
        }
        metrics.forEach(Metrics::byId);
    }

    @Override
    public List<String> metrics() {
        return metrics;
    }

    @Override
    public Map<String, Double> evaluate(float[] logits, int numOutputs, EncodedDataset data) {
        int n = data.size();
        double[] references = new double[n];
        for (int i = 0; i < n; i++) {
            references[i] = task == Dataset.TaskType.CLASSIFICATION ? data.label(i) : data.target(i);
        }
        return compute(logits, numOutputs, references);
    }

    /** Every metric of the dataset from {@code logits} of {@code references.length} rows. */
    public Map<String, Double> compute(float[] logits, int numOutputs, double[] references) {
        double[] predictions = predictions(logits, numOutputs, references.length, task);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String m : metrics) {
            out.put(m, Metrics.compute(m, predictions, references));
        }
        return out;
    }

    /** Arg-max classes (classification) or the outputs (regression) of {@code n} rows of logits. */
    static double[] predictions(float[] logits, int numOutputs, int n, Dataset.TaskType task) {
        double[] predictions = new double[n];
        for (int i = 0; i < n; i++) {
            if (task == Dataset.TaskType.REGRESSION) {
                predictions[i] = logits[i * numOutputs];
            } else {
                int best = 0;
                for (int c = 1; c < numOutputs; c++) {
                    if (logits[i * numOutputs + c] > logits[i * numOutputs + best]) {
                        best = c;
                    }
                }
                predictions[i] = best;
            }
        }
        return predictions;
    }
}
