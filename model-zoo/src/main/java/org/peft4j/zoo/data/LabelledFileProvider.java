package org.peft4j.zoo.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.data.DataContext;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.data.DatasetProvider;
import org.peft4j.api.data.Example;
import org.peft4j.zoo.metrics.Metric;
import org.peft4j.zoo.metrics.Metrics;

/**
 * The shared logic of the {@code csv} and {@code jsonl} providers: a user's own labelled files.
 *
 * <p>Files: {@code train} is required; {@code validation} and {@code test} are optional. A split
 * without a file is carved from the training file with {@link Splits} (stratified by label for
 * classification; {@code validation-fraction} and {@code test-fraction}, 10% each by default;
 * seed {@code split-seed}). Relative paths resolve against the config's base directory.
 *
 * <p>Columns: {@code text-column} (default {@code text}), optional {@code pair-column} for sentence
 * pairs, and {@code label-column} (default {@code label}). Classification labels come from
 * {@code labels} when given (label values as written in the files, in class-index order),
 * otherwise they are inferred from the training file: the distinct values, sorted numerically
 * when all are numbers and lexicographically otherwise. A label outside the set is a
 * {@link MalformedDataException} naming file and line. With {@code regression} the label column
 * holds real targets. {@code metrics} defaults to accuracy (and F1 for two classes) or to
 * Pearson and Spearman for regression.
 */
public abstract class LabelledFileProvider implements DatasetProvider {

    static final HyperParameter<String> TRAIN = HyperParameter.ofString("train", null, "The training file (required).");
    static final HyperParameter<String> VALIDATION = HyperParameter.ofString("validation", null,
            "The validation file; when absent, validation-fraction of the training file is held out.");
    static final HyperParameter<String> TEST = HyperParameter.ofString("test", null,
            "The test file; when absent, test-fraction of the training file is held out.");
    static final HyperParameter<String> TEXT_COLUMN = HyperParameter.ofString("text-column", "text",
            "The column (or key) of the first text.");
    static final HyperParameter<String> PAIR_COLUMN = HyperParameter.ofString("pair-column", null,
            "The column (or key) of the second text of sentence pairs; absent for single texts.");
    static final HyperParameter<String> LABEL_COLUMN = HyperParameter.ofString("label-column", "label",
            "The column (or key) of the label or regression target.");
    @SuppressWarnings("rawtypes")
    static final HyperParameter<List> LABELS = HyperParameter.ofList("labels", null,
            "The label values in class-index order; inferred from the training file when absent.");
    static final HyperParameter<Boolean> REGRESSION = HyperParameter.ofBoolean("regression", false,
            "Whether the label column holds real-valued regression targets.");
    static final HyperParameter<Double> VALIDATION_FRACTION = HyperParameter.ofDouble("validation-fraction", 0.1,
            "The share of the training file held out for validation when no validation file is given.");
    static final HyperParameter<Double> TEST_FRACTION = HyperParameter.ofDouble("test-fraction", 0.1,
            "The share of the training file held out for testing when no test file is given.");
    static final HyperParameter<Integer> SPLIT_SEED = HyperParameter.ofInt("split-seed", 42,
            "The seed of splits carved from the training file.");
    @SuppressWarnings("rawtypes")
    static final HyperParameter<List> METRICS = HyperParameter.ofList("metrics", null,
            "Metric ids, primary first; defaults to accuracy (and f1 for two classes), or pearson and spearman for regression.");
    static final HyperParameter<String> NAME = HyperParameter.ofString("name", null,
            "The dataset name in reports; defaults to the training file's name.");

    /** The hyperparameters both formats share. */
    protected static List<HyperParameter<?>> common() {
        return List.of(TRAIN, VALIDATION, TEST, TEXT_COLUMN, PAIR_COLUMN, LABEL_COLUMN, LABELS, REGRESSION, VALIDATION_FRACTION,
                TEST_FRACTION, SPLIT_SEED, METRICS, NAME);
    }

    /** Reads one file of this format. */
    protected abstract List<RawExample> read(Path file, ColumnSpec columns, HyperParameters params) throws IOException;

    @Override
    public Dataset load(HyperParameters params, DataContext context) throws IOException {
        String trainFile = params.get(TRAIN);
        ColumnSpec columns = new ColumnSpec(params.get(TEXT_COLUMN), params.get(PAIR_COLUMN.key(), String.class, null),
                params.get(LABEL_COLUMN));
        boolean regression = params.get(REGRESSION);
        double validationFraction = fraction(params, VALIDATION_FRACTION);
        double testFraction = fraction(params, TEST_FRACTION);
        Path base = context.baseDirectory();
        Path train = base.resolve(trainFile);
        String validationFile = params.get(VALIDATION.key(), String.class, null);
        String testFile = params.get(TEST.key(), String.class, null);

        List<RawExample> trainRaw = read(train, columns, params);
        List<RawExample> validationRaw = validationFile == null ? null : read(base.resolve(validationFile), columns, params);
        List<RawExample> testRaw = testFile == null ? null : read(base.resolve(testFile), columns, params);

        LabelMapping labels = null;
        if (!regression) {
            List<String> given = stringList(params, LABELS);
            if (given != null) {
                try {
                    labels = LabelMapping.of(given);
                } catch (IllegalArgumentException e) {
                    throw params.invalid(LABELS.key(), e.getMessage());
                }
            } else {
                if (trainRaw.isEmpty()) {
                    throw new MalformedDataException(train.toString(), 0, "the file holds no examples");
                }
                labels = LabelMapping.inferred(trainRaw.stream().map(RawExample::label).toList());
            }
        } else if (params.contains(LABELS.key())) {
            throw params.invalid(LABELS.key(), "labels do not apply to a regression dataset");
        }
        List<String> metrics = metrics(params, regression, labels);

        List<Example> trainExamples = convert(trainRaw, labels);
        List<Example> validation = validationRaw == null ? null : convert(validationRaw, labels);
        List<Example> test = testRaw == null ? null : convert(testRaw, labels);
        double v = validation == null ? validationFraction : 0;
        double t = test == null ? testFraction : 0;
        if (v > 0 || t > 0) {
            List<List<Example>> parts = Splits.stratified(trainExamples, regression ? e -> 0 : Example::label,
                    params.get(SPLIT_SEED), v, t);
            trainExamples = parts.get(0);
            validation = validation == null ? parts.get(1) : validation;
            test = test == null ? parts.get(2) : test;
        }
        GlueDatasetProvider.requireNonEmpty(trainExamples, train, "training");
        GlueDatasetProvider.requireNonEmpty(validation, validationFile == null ? train : base.resolve(validationFile), "validation");
        GlueDatasetProvider.requireNonEmpty(test, testFile == null ? train : base.resolve(testFile), "test");
        String name = params.get(NAME.key(), String.class, null);
        if (name == null) {
            String file = train.getFileName().toString();
            name = id() + "/" + (file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file);
        }
        return new LabelledDataset(name, regression ? Dataset.TaskType.REGRESSION : Dataset.TaskType.CLASSIFICATION,
                regression ? List.of() : labels.names(), columns.pair() != null, trainExamples, validation, test, metrics);
    }

    private static List<Example> convert(List<RawExample> raw, LabelMapping labels) throws MalformedDataException {
        List<Example> out = new ArrayList<>(raw.size());
        for (RawExample r : raw) {
            out.add(labels == null ? r.regression() : r.classified(labels));
        }
        return out;
    }

    private static double fraction(HyperParameters params, HyperParameter<Double> key) {
        double f = params.get(key);
        if (!(f >= 0 && f < 1)) {
            throw params.invalid(key.key(), "must be at least 0 and below 1, got " + f);
        }
        return f;
    }

    private static List<String> metrics(HyperParameters params, boolean regression, LabelMapping labels) {
        List<String> given = stringList(params, METRICS);
        if (given == null) {
            if (regression) {
                return List.of("pearson", "spearman");
            }
            return labels.size() == 2 ? List.of("accuracy", "f1") : List.of("accuracy");
        }
        if (given.isEmpty()) {
            throw params.invalid(METRICS.key(), "at least one metric is required, from " + Metrics.ids());
        }
        for (String id : given) {
            Metric m;
            try {
                m = Metrics.byId(id);
            } catch (IllegalArgumentException e) {
                throw params.invalid(METRICS.key(), e.getMessage());
            }
            if (m.classification() == regression) {
                throw params.invalid(METRICS.key(), "metric '" + id + "' does not apply to " + (regression ? "regression" : "classification"));
            }
            if (id.equals("f1") && labels.size() != 2) {
                throw params.invalid(METRICS.key(), "f1 is binary and needs exactly two labels, not " + labels.values());
            }
        }
        return given;
    }

    @SuppressWarnings("unchecked")
    private static List<String> stringList(HyperParameters params, HyperParameter<?> key) {
        if (!params.contains(key.key())) {
            return null;
        }
        return params.getList(key.key(), null);
    }
}
