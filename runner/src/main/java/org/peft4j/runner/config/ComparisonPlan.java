package org.peft4j.runner.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated comparison: strategies × datasets × seeds on one model, with every hyperparameter
 * resolved.
 *
 * @param source the config file
 * @param name the comparison's name (names the run directory)
 * @param outputDirectory where run directories go
 * @param dataDirectory the user's data directory, or null
 * @param model the model and its parameters
 * @param datasets the datasets, in config order
 * @param seeds the seeds, in config order
 * @param head the task head
 * @param referenceStrategy the strategy that runtime and FLOPs are reported relative to, or null
 * @param strategies the strategies, in config order
 * @param resolved the whole config after interpolation, overrides and merging, for the run directory
 * @param runTraining the effective recipe of each strategy on each dataset, by {@link #trainingKey}
 * @param markdownCopy a file the Markdown report is also written to (with its charts beside it), or null
 */
public record ComparisonPlan(Path source, String name, Path outputDirectory, Path dataDirectory, Choice model, List<DatasetChoice> datasets,
        List<Long> seeds, HeadSettings head, String referenceStrategy, List<Strategy> strategies, Map<String, Object> resolved,
        Map<String, TrainingSettings> runTraining, Path markdownCopy) {

    public ComparisonPlan {
        Objects.requireNonNull(name, "name");
        datasets = List.copyOf(datasets);
        seeds = List.copyOf(seeds);
        strategies = List.copyOf(strategies);
        runTraining = Map.copyOf(runTraining);
        for (Strategy s : strategies) {
            for (DatasetChoice d : datasets) {
                if (!runTraining.containsKey(trainingKey(s, d))) {
                    throw new IllegalArgumentException("no training settings for strategy " + s.name() + " on " + d.label());
                }
            }
        }
    }

    /** The key of {@link #runTraining()} for a strategy on a dataset. */
    public static String trainingKey(Strategy strategy, DatasetChoice dataset) {
        return strategy.name() + "|" + dataset.label();
    }

    /**
     * A dataset of the comparison.
     *
     * @param label the unique name runs and reports use: the id, with the GLUE task or the
     *     position appended when the same id appears more than once
     * @param id the dataset provider id
     * @param params the provider's validated hyperparameters
     */
    public record DatasetChoice(String label, String id, ValidatedHyperParameters params) {
    }

    /**
     * An extension chosen by id with its hyperparameters.
     *
     * @param id the extension id
     * @param params the validated hyperparameters
     */
    public record Choice(String id, ValidatedHyperParameters params) {
    }

    /**
     * One strategy of the comparison.
     *
     * @param name the strategy's unique name
     * @param method the PEFT method and its hyperparameters
     * @param scorer the scorer, or null
     * @param scheduler the freeze scheduler, or null
     * @param training the training recipe of this strategy before per-dataset overrides
     */
    public record Strategy(String name, Choice method, Choice scorer, Choice scheduler, TrainingSettings training) {
    }

    /**
     * One training run of the plan.
     *
     * @param strategy the strategy
     * @param dataset the dataset
     * @param seed the seed
     * @param training the effective recipe: the {@code training} section, then the dataset's
     *     overrides, then the strategy's
     */
    public record Run(Strategy strategy, DatasetChoice dataset, long seed, TrainingSettings training) {
        /** A unique, path-safe id such as {@code lora/sentiment-sentences/seed-42}. */
        public String id() {
            return strategy.name() + "/" + dataset.label().replace('/', '-') + "/seed-" + seed;
        }
    }

    /** Every run, strategies outermost, then datasets, then seeds. */
    public List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        for (Strategy s : strategies) {
            for (DatasetChoice d : datasets) {
                for (long seed : seeds) {
                    runs.add(new Run(s, d, seed, runTraining.get(trainingKey(s, d))));
                }
            }
        }
        return runs;
    }
}
