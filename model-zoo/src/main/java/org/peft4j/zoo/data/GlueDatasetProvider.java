package org.peft4j.zoo.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.data.DataContext;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.data.DatasetProvider;
import org.peft4j.api.data.Example;
import org.pf4j.Extension;

/**
 * The GLUE benchmark tasks, read from the standard GLUE directory layout the user downloads:
 * {@code <data-dir>/<TASK>/train.tsv} and {@code dev.tsv} ({@code dev_matched.tsv} and
 * {@code dev_mismatched.tsv} for MNLI), with the folders and columns listed in {@link GlueTask}.
 *
 * <p>Splits: GLUE's test files carry no labels, so they are never read. The labelled dev file
 * becomes the test split, and the validation split is carved from {@code train.tsv}: a seeded
 * share ({@code validation-fraction}, 10% by default, seed {@code split-seed}, 42 by default),
 * stratified by label for classification tasks; the rest of {@code train.tsv} is the training
 * split. Each split keeps file order. Metrics are each task's official dev metrics. A data
 * directory that is itself the task's folder (such as {@code .../glue/MRPC}) is accepted too.
 *
 * <p>Errors: an unknown task or a missing data directory is a {@link ConfigurationException}
 * naming the key; a missing file, a missing column, a row with the wrong number of fields, an
 * unknown label or a non-numeric STS-B score is a {@link MalformedDataException} naming the file
 * and line.
 */
@Extension
public final class GlueDatasetProvider implements DatasetProvider {

    static final HyperParameter<String> TASK = HyperParameter.ofString("task", null,
            "The GLUE task: cola, sst2, mrpc, stsb, qqp, mnli (matched dev), mnli-mm (mismatched dev), qnli, rte or wnli.");
    static final HyperParameter<String> DATA_DIR = HyperParameter.ofString("data-dir", null,
            "The GLUE data directory holding one folder per task; defaults to the run's --data-dir.");
    static final HyperParameter<Double> VALIDATION_FRACTION = HyperParameter.ofDouble("validation-fraction", 0.1,
            "The share of train.tsv held out, stratified by label, as the validation split.");
    static final HyperParameter<Integer> SPLIT_SEED = HyperParameter.ofInt("split-seed", 42,
            "The seed of the validation split carved from train.tsv.");

    @Override
    public String id() {
        return "glue";
    }

    @Override
    public String description() {
        return "GLUE tasks from the standard GLUE directory layout (dev set as test, validation carved from train).";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return List.of(TASK, DATA_DIR, VALIDATION_FRACTION, SPLIT_SEED);
    }

    @Override
    public Dataset load(HyperParameters params, DataContext context) throws IOException {
        GlueTask task;
        try {
            task = GlueTask.byId(params.get(TASK));
        } catch (IllegalArgumentException e) {
            throw params.invalid(TASK.key(), e.getMessage());
        }
        double fraction = params.get(VALIDATION_FRACTION);
        if (!(fraction > 0 && fraction < 1)) {
            throw params.invalid(VALIDATION_FRACTION.key(), "must be between 0 and 1 (exclusive), got " + fraction);
        }
        Path dataDir = dataDirectory(params, context);
        Path taskDir = dataDir.resolve(task.directory());
        if (!Files.isDirectory(taskDir) && dataDir.getFileName() != null
                && dataDir.getFileName().toString().equalsIgnoreCase(task.directory()) && Files.isRegularFile(dataDir.resolve("train.tsv"))) {
            taskDir = dataDir; // the data directory is the task's own folder
        }
        if (!Files.isDirectory(taskDir)) {
            throw new MalformedDataException(taskDir.toString(), 0, "no such directory; expected the standard GLUE layout "
                    + "<data-dir>/" + task.directory() + "/train.tsv and " + task.devFile());
        }
        List<Example> trainAndValidation = examples(task, taskDir.resolve("train.tsv"));
        List<Example> test = examples(task, taskDir.resolve(task.devFile()));
        List<List<Example>> parts = Splits.stratified(trainAndValidation,
                task.regression() ? e -> 0 : Example::label, params.get(SPLIT_SEED), fraction);
        String name = "glue/" + task.id();
        requireNonEmpty(parts.get(0), taskDir.resolve("train.tsv"), "training");
        requireNonEmpty(parts.get(1), taskDir.resolve("train.tsv"), "validation");
        requireNonEmpty(test, taskDir.resolve(task.devFile()), "test");
        return new LabelledDataset(name, task.regression() ? Dataset.TaskType.REGRESSION : Dataset.TaskType.CLASSIFICATION,
                task.regression() ? List.of() : task.labels().names(), task.pairs(), parts.get(0), parts.get(1), test,
                task.metrics());
    }

    static void requireNonEmpty(List<Example> split, Path file, String what) throws MalformedDataException {
        if (split.isEmpty()) {
            throw new MalformedDataException(file.toString(), 0, "the " + what + " split would be empty; the file holds too few examples");
        }
    }

    private static List<Example> examples(GlueTask task, Path file) throws IOException {
        List<RawExample> raw = TableFiles.readTsv(file, task.columns(), task.headerless());
        List<Example> out = new ArrayList<>(raw.size());
        for (RawExample r : raw) {
            out.add(task.regression() ? r.regression() : r.classified(task.labels()));
        }
        return out;
    }

    private static Path dataDirectory(HyperParameters params, DataContext context) {
        String configured = params.get(DATA_DIR.key(), String.class, null);
        Path dir;
        if (configured != null) {
            dir = context.baseDirectory().resolve(configured);
        } else if (context.dataDirectory() != null) {
            dir = context.dataDirectory();
        } else {
            throw params.invalid(DATA_DIR.key(), "the GLUE data directory is not set; give it with --data-dir or the "
                    + "dataset's data-dir key (the folder that holds CoLA/, SST-2/, MRPC/, ...)");
        }
        if (!Files.isDirectory(dir)) {
            throw params.invalid(DATA_DIR.key(), "'" + dir + "' is not a directory");
        }
        return dir;
    }
}
