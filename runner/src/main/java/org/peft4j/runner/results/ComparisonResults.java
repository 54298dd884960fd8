package org.peft4j.runner.results;

import java.util.List;
import java.util.Map;

/**
 * The results of a whole comparison: what {@code results.json} holds.
 *
 * @param schemaVersion the version of this format (documented in {@code docs/results-schema.md})
 * @param name the comparison's name
 * @param description the config's description, or null
 * @param config the config file as given
 * @param referenceStrategy the strategy runtime and FLOPs are reported relative to, or null
 * @param startedAt ISO-8601 start time
 * @param finishedAt ISO-8601 end time
 * @param environment where and with what it ran
 * @param runs every run, in plan order
 * @param summaries one row per strategy and dataset: means and standard deviations over seeds
 */
public record ComparisonResults(int schemaVersion, String name, String description, String config, String referenceStrategy, String startedAt,
        String finishedAt, Environment environment, List<RunResult> runs, List<Summary> summaries) {

    /** The current schema version. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * Provenance of the whole comparison.
     *
     * @param peft4jVersion framework version
     * @param gitCommit the commit of the peft4j checkout, or {@code unknown}
     * @param java Java runtime version
     * @param os operating system and architecture
     * @param cpu processor model name
     * @param cores available processors
     * @param memoryBytes physical memory
     * @param onnxRuntime ONNX Runtime version
     */
    public record Environment(String peft4jVersion, String gitCommit, String java, String os, String cpu, int cores, long memoryBytes,
            String onnxRuntime) {
    }

    /**
     * Mean and sample standard deviation over seeds ({@code std} is 0 for one seed).
     *
     * @param mean the mean
     * @param std the sample standard deviation
     * @param n the number of finished runs averaged
     */
    public record MeanStd(double mean, double std, int n) {

        /** Mean and standard deviation of {@code values}. */
        public static MeanStd of(List<Double> values) {
            int n = values.size();
            if (n == 0) {
                return new MeanStd(Double.NaN, Double.NaN, 0);
            }
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = 0;
            for (double v : values) {
                ss += (v - mean) * (v - mean);
            }
            return new MeanStd(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0, n);
        }
    }

    /**
     * One strategy on one dataset, over its seeds.
     *
     * @param strategy strategy name
     * @param dataset dataset name
     * @param method method id
     * @param finished finished runs
     * @param failed failed runs
     * @param test test metrics
     * @param validation validation metrics
     * @param initialParams trainable adapter parameters at the start
     * @param finalParams at the end
     * @param timeAveragedParams time-averaged
     * @param headParams head parameters
     * @param medianStepMillis median step time
     * @param wallSeconds wall time per run
     * @param flopsPerStep analytic FLOPs per step, averaged over the run's steps
     * @param totalFlops analytic FLOPs per run
     * @param peakRssBytes peak resident memory
     * @param relativeStepTime median step time divided by the reference strategy's, or NaN
     * @param relativeFlops total FLOPs divided by the reference strategy's, or NaN
     */
    public record Summary(String strategy, String dataset, String method, int finished, int failed, Map<String, MeanStd> test,
            Map<String, MeanStd> validation, MeanStd initialParams, MeanStd finalParams, MeanStd timeAveragedParams, MeanStd headParams,
            MeanStd medianStepMillis, MeanStd wallSeconds, MeanStd flopsPerStep, MeanStd totalFlops, MeanStd peakRssBytes,
            double relativeStepTime, double relativeFlops) {
    }
}
