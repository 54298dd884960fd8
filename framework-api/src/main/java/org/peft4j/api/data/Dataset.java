package org.peft4j.api.data;

import java.util.List;

/**
 * A labelled dataset with train, validation and test splits.
 *
 * <p>Contract: every split is non-empty; {@link #labels()} is non-empty for classification and
 * empty for regression; every {@link Example#label()} of a classification task indexes
 * {@link #labels()}. {@link #metrics()} lists metric ids ({@code accuracy}, {@code f1},
 * {@code matthews}, {@code pearson}, {@code spearman}); the first is the task's official metric,
 * used to pick the best epoch.
 */
public interface Dataset {

    /** The dataset's name, such as {@code sentiment-sentences} or {@code glue/mrpc}. */
    String name();

    /** Classification or regression. */
    TaskType taskType();

    /** Label names by index; empty for regression. */
    List<String> labels();

    /** Whether examples are sentence pairs. */
    boolean pairs();

    /** The examples of one split, in a fixed order; never empty. */
    List<Example> split(Split split);

    /** Metric ids, the primary one first. */
    List<String> metrics();

    /** The splits of a dataset. */
    enum Split {
        TRAIN, VALIDATION, TEST;

        /** The lower-case name used in files and reports. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Kinds of task. */
    enum TaskType {
        CLASSIFICATION, REGRESSION
    }
}
