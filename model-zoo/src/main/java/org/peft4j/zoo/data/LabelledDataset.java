package org.peft4j.zoo.data;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.data.Example;
import org.peft4j.zoo.metrics.Metric;
import org.peft4j.zoo.metrics.Metrics;

/**
 * An immutable {@link Dataset} held in memory.
 *
 * <p>Contract: checked on construction: every split is non-empty; classification datasets have
 * labels and every example's label indexes them, with a NaN target; regression datasets have no
 * labels, every label is -1 and every target finite; pair datasets have a pair on every example
 * and single-text datasets on none; metric ids are known and fit the task type. A violation is an
 * {@link IllegalArgumentException} naming the dataset, split and example.
 */
public final class LabelledDataset implements Dataset {

    private final String name;
    private final TaskType taskType;
    private final List<String> labels;
    private final boolean pairs;
    private final Map<Split, List<Example>> splits = new EnumMap<>(Split.class);
    private final List<String> metrics;

    /**
     * @param name the dataset name
     * @param taskType classification or regression
     * @param labels label names by index; empty for regression
     * @param pairs whether examples are sentence pairs
     * @param train the training split
     * @param validation the validation split
     * @param test the test split
     * @param metrics metric ids, the primary first
     */
    public LabelledDataset(String name, TaskType taskType, List<String> labels, boolean pairs, List<Example> train,
            List<Example> validation, List<Example> test, List<String> metrics) {
        this.name = Objects.requireNonNull(name, "name");
        this.taskType = Objects.requireNonNull(taskType, "taskType");
        this.labels = List.copyOf(labels);
        this.pairs = pairs;
        this.metrics = List.copyOf(metrics);
        splits.put(Split.TRAIN, List.copyOf(train));
        splits.put(Split.VALIDATION, List.copyOf(validation));
        splits.put(Split.TEST, List.copyOf(test));
        boolean classification = taskType == TaskType.CLASSIFICATION;
        if (classification == this.labels.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "': a " + taskType.name().toLowerCase()
                    + " dataset must have " + (classification ? "at least one label" : "no labels"));
        }
        if (this.metrics.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "' has no metric");
        }
        for (String id : this.metrics) {
            Metric m = Metrics.byId(id);
            if (m.classification() != classification) {
                throw new IllegalArgumentException("dataset '" + name + "': metric '" + id + "' does not apply to "
                        + taskType.name().toLowerCase());
            }
        }
        for (Map.Entry<Split, List<Example>> e : splits.entrySet()) {
            List<Example> examples = e.getValue();
            if (examples.isEmpty()) {
                throw new IllegalArgumentException("dataset '" + name + "': the " + e.getKey().id() + " split is empty");
            }
            for (int i = 0; i < examples.size(); i++) {
                check(examples.get(i), e.getKey(), i, classification);
            }
        }
    }

    private void check(Example x, Split split, int index, boolean classification) {
        String where = "dataset '" + name + "', " + split.id() + " example " + index + ": ";
        if (pairs != (x.pair() != null)) {
            throw new IllegalArgumentException(where + (pairs ? "a sentence pair is required" : "unexpected second text"));
        }
        if (classification && (x.label() < 0 || x.label() >= labels.size() || !Double.isNaN(x.target()))) {
            throw new IllegalArgumentException(where + "label " + x.label() + " is not an index of " + labels);
        }
        if (!classification && (x.label() != -1 || !Double.isFinite(x.target()))) {
            throw new IllegalArgumentException(where + "a regression example needs label -1 and a finite target");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TaskType taskType() {
        return taskType;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public boolean pairs() {
        return pairs;
    }

    @Override
    public List<Example> split(Split split) {
        return splits.get(Objects.requireNonNull(split, "split"));
    }

    @Override
    public List<String> metrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return name + " (" + taskType.name().toLowerCase() + ", train " + splits.get(Split.TRAIN).size() + ", validation "
                + splits.get(Split.VALIDATION).size() + ", test " + splits.get(Split.TEST).size() + ")";
    }
}
