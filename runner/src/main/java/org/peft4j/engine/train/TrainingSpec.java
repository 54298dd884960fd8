package org.peft4j.engine.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.freeze.FreezeSchedule;
import org.peft4j.api.freeze.Scoring;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.engine.ort.ExecutionSettings;

/**
 * Everything one training run needs, built with {@link #builder()} ({@code set*} for required
 * parts, {@code opt*} for optional ones).
 *
 * <p>Contract: the model graph holds the adapters and the head; its batch inputs are among
 * {@code input_ids}, {@code attention_mask} and {@code token_type_ids} with shape {@code [B, T]}
 * (any extent may be symbolic); every adapter parameter and head parameter is a float initializer
 * holding its initial value; {@code logits} names the head output {@code [B, numLabels]}
 * ({@code [B, 1]} for regression). Adapter parameters train in the adapter group (learning rate
 * {@link TrainingHyperparameters#learningRate()}), head parameters in the head group
 * ({@link TrainingHyperparameters#headLearningRate()}). A scoring needs a freeze schedule.
 * {@link Builder#build()} checks presence and consistency and names what is missing.
 */
public final class TrainingSpec {

    private final Graph model;
    private final String logits;
    private final TaskType task;
    private final int numLabels;
    private final List<AdapterParameter> adapterParameters;
    private final List<String> headParameters;
    private final EncodedDataset train;
    private final EncodedDataset validation;
    private final TrainingHyperparameters hyperparameters;
    private final ExecutionSettings execution;
    private final Path artifactDirectory;
    private final Path checkpointDirectory;
    private final boolean resume;
    private final Scoring scoring;
    private final FreezeSchedule freezeSchedule;
    private final Evaluator evaluator;
    private final String runId;
    private final String strategy;
    private final boolean progressBar;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private TrainingSpec(Builder b) {
        model = require(b.model, "model");
        logits = require(b.logits, "logits");
        task = require(b.task, "task");
        numLabels = b.numLabels;
        adapterParameters = List.copyOf(b.adapterParameters);
        headParameters = List.copyOf(b.headParameters);
        train = require(b.train, "train data");
        validation = require(b.validation, "validation data");
        hyperparameters = require(b.hyperparameters, "hyperparameters");
        execution = b.execution == null ? ExecutionSettings.defaults() : b.execution;
        artifactDirectory = require(b.artifactDirectory, "artifact directory");
        checkpointDirectory = b.checkpointDirectory;
        resume = b.resume;
        scoring = b.scoring;
        freezeSchedule = b.freezeSchedule;
        evaluator = b.evaluator == null ? Evaluator.defaultFor(task) : b.evaluator;
        runId = b.runId;
        strategy = b.strategy;
        progressBar = b.progressBar;
        beta1 = b.beta1;
        beta2 = b.beta2;
        epsilon = b.epsilon;
        if (train.task() != task || validation.task() != task) {
            throw new IllegalArgumentException("the data splits are " + train.task() + "/" + validation.task() + " but the task is " + task);
        }
        if (train.sequenceLength() != validation.sequenceLength()) {
            throw new IllegalArgumentException("train and validation sequence lengths differ: " + train.sequenceLength() + " vs "
                    + validation.sequenceLength());
        }
        train.checkLabels(numLabels);
        validation.checkLabels(numLabels);
        if (scoring != null && freezeSchedule == null) {
            throw new IllegalArgumentException("a scoring was given without a freeze schedule");
        }
        if (resume && checkpointDirectory == null) {
            throw new IllegalArgumentException("resume needs a checkpoint directory");
        }
        if (adapterParameters.isEmpty() && headParameters.isEmpty()) {
            throw new IllegalArgumentException("no adapter or head parameters: nothing to train");
        }
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("training spec: the " + what + " is required");
        }
        return value;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    public Graph model() {
        return model;
    }

    public String logits() {
        return logits;
    }

    public TaskType task() {
        return task;
    }

    public int numLabels() {
        return numLabels;
    }

    public List<AdapterParameter> adapterParameters() {
        return adapterParameters;
    }

    public List<String> headParameters() {
        return headParameters;
    }

    public EncodedDataset train() {
        return train;
    }

    public EncodedDataset validation() {
        return validation;
    }

    public TrainingHyperparameters hyperparameters() {
        return hyperparameters;
    }

    public ExecutionSettings execution() {
        return execution;
    }

    public Path artifactDirectory() {
        return artifactDirectory;
    }

    /** Where checkpoints go, or null for none. */
    public Path checkpointDirectory() {
        return checkpointDirectory;
    }

    public boolean resume() {
        return resume;
    }

    /** The scoring, or null. */
    public Scoring scoring() {
        return scoring;
    }

    /** The freeze schedule, or null. */
    public FreezeSchedule freezeSchedule() {
        return freezeSchedule;
    }

    public Evaluator evaluator() {
        return evaluator;
    }

    public String runId() {
        return runId;
    }

    public String strategy() {
        return strategy;
    }

    public boolean progressBar() {
        return progressBar;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    /** Builds a {@link TrainingSpec}. */
    public static final class Builder {
        private Graph model;
        private String logits;
        private TaskType task;
        private int numLabels;
        private final List<AdapterParameter> adapterParameters = new ArrayList<>();
        private final List<String> headParameters = new ArrayList<>();
        private EncodedDataset train;
        private EncodedDataset validation;
        private TrainingHyperparameters hyperparameters;
        private ExecutionSettings execution;
        private Path artifactDirectory;
        private Path checkpointDirectory;
        private boolean resume;
        private Scoring scoring;
        private FreezeSchedule freezeSchedule;
        private Evaluator evaluator;
        private String runId = "run";
        private String strategy = "default";
        private boolean progressBar;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;

        private Builder() {
        }

        /** The graph with adapters and head, and the name of its logits. */
        public Builder setModel(Graph graph, String logitsValue) {
            this.model = Objects.requireNonNull(graph, "graph");
            this.logits = Objects.requireNonNull(logitsValue, "logitsValue");
            return this;
        }

        /** Classification with {@code labels} classes, or regression with 1. */
        public Builder setTask(TaskType taskType, int labels) {
            this.task = Objects.requireNonNull(taskType, "taskType");
            this.numLabels = labels;
            return this;
        }

        /** The adapter's tensors (trainable, freezable and constant), as the adapter registered them. */
        public Builder setAdapterParameters(List<AdapterParameter> parameters) {
            adapterParameters.clear();
            adapterParameters.addAll(parameters);
            return this;
        }

        /** The classifier head's trainable initializers, by name. */
        public Builder setHeadParameters(List<String> names) {
            headParameters.clear();
            headParameters.addAll(names);
            return this;
        }

        /** The training and validation splits. */
        public Builder setData(EncodedDataset trainSplit, EncodedDataset validationSplit) {
            this.train = trainSplit;
            this.validation = validationSplit;
            return this;
        }

        /** The recipe. */
        public Builder setHyperparameters(TrainingHyperparameters value) {
            this.hyperparameters = value;
            return this;
        }

        /** Where compiled artifacts are cached. */
        public Builder setArtifactDirectory(Path dir) {
            this.artifactDirectory = dir;
            return this;
        }

        /** Provider and threads; default CPU with every core. */
        public Builder optExecution(ExecutionSettings value) {
            this.execution = value;
            return this;
        }

        /** Checkpoint directory, and whether to resume from its newest checkpoint. */
        public Builder optCheckpoints(Path dir, boolean resumeFromLatest) {
            this.checkpointDirectory = dir;
            this.resume = resumeFromLatest;
            return this;
        }

        /** Adaptive freezing: a scoring (may be null when the schedule reads no scores) and a schedule. */
        public Builder optFreezing(Scoring scorer, FreezeSchedule schedule) {
            this.scoring = scorer;
            this.freezeSchedule = schedule;
            return this;
        }

        /** Metrics; default accuracy (classification) or Pearson (regression). */
        public Builder optEvaluator(Evaluator value) {
            this.evaluator = value;
            return this;
        }

        /** Names for listeners and reports. */
        public Builder optRunInfo(String id, String strategyName) {
            this.runId = Objects.requireNonNull(id, "id");
            this.strategy = Objects.requireNonNull(strategyName, "strategyName");
            return this;
        }

        /** Whether to draw a console progress bar on standard error. */
        public Builder optProgressBar(boolean show) {
            this.progressBar = show;
            return this;
        }

        /** AdamW betas and epsilon; default 0.9, 0.999, 1e-8. */
        public Builder optAdamW(double b1, double b2, double eps) {
            this.beta1 = b1;
            this.beta2 = b2;
            this.epsilon = eps;
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException naming a missing or inconsistent part
         */
        public TrainingSpec build() {
            return new TrainingSpec(this);
        }
    }
}
