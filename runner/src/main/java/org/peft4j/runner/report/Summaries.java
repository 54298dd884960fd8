package org.peft4j.runner.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.peft4j.runner.results.ComparisonResults.MeanStd;
import org.peft4j.runner.results.ComparisonResults.Summary;
import org.peft4j.runner.results.RunResult;

/**
 * Aggregates runs over seeds into one {@link Summary} per strategy and dataset.
 *
 * <p>Groups are keyed by (strategy, dataset) and listed in the order their first run appears. Every statistic is the
 * mean and sample standard deviation ({@link MeanStd#of}) over the group's <em>finished</em> runs; failed runs are only
 * counted. A metric missing from some finished runs is averaged over the runs that have it (its {@code n} says how
 * many). FLOPs per step is each run's {@code totalFlops / steps} (NaN for a run without steps), averaged over runs.
 * {@code relativeStepTime} and {@code relativeFlops} divide the group's mean median step time and mean total FLOPs by
 * those of the reference strategy on the same dataset; they are NaN when no reference is named, when the reference did
 * not run on that dataset or has no finished run.
 */
public final class Summaries {

    private Summaries() {
    }

    /**
     * Summarises {@code runs}.
     *
     * @param runs every run of a comparison, in plan order
     * @param referenceStrategy the strategy runtime and FLOPs are relative to, or null
     * @return one summary per (strategy, dataset), in first-seen order
     */
    public static List<Summary> compute(List<RunResult> runs, String referenceStrategy) {
        Objects.requireNonNull(runs, "runs");
        Map<List<String>, List<RunResult>> groups = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult run = runs.get(i);
            if (run == null || run.strategy() == null || run.dataset() == null) {
                throw new IllegalArgumentException("run #" + i + " has no strategy or dataset: " + run);
            }
            groups.computeIfAbsent(List.of(run.strategy(), run.dataset()), k -> new ArrayList<>()).add(run);
        }
        List<Summary> partial = new ArrayList<>();
        for (List<RunResult> group : groups.values()) {
            partial.add(summarise(group));
        }
        List<Summary> out = new ArrayList<>(partial.size());
        for (Summary s : partial) {
            Summary ref = referenceStrategy == null ? null
                    : partial.stream().filter(r -> r.strategy().equals(referenceStrategy) && r.dataset().equals(s.dataset()))
                            .findFirst().orElse(null);
            double relStep = Double.NaN;
            double relFlops = Double.NaN;
            if (ref != null && ref.finished() > 0 && s.finished() > 0) {
                relStep = s.medianStepMillis().mean() / ref.medianStepMillis().mean();
                relFlops = s.totalFlops().mean() / ref.totalFlops().mean();
            }
            out.add(new Summary(s.strategy(), s.dataset(), s.method(), s.finished(), s.failed(), s.test(), s.validation(),
                    s.initialParams(), s.finalParams(), s.timeAveragedParams(), s.headParams(), s.medianStepMillis(),
                    s.wallSeconds(), s.flopsPerStep(), s.totalFlops(), s.peakRssBytes(), relStep, relFlops));
        }
        return out;
    }

    private static Summary summarise(List<RunResult> group) {
        RunResult first = group.get(0);
        String method = group.stream().map(RunResult::provenance).filter(Objects::nonNull).map(RunResult.Provenance::method)
                .filter(Objects::nonNull).findFirst().orElse(null);
        List<RunResult> done = group.stream().filter(RunResult::finished).toList();
        int failed = group.size() - done.size();
        return new Summary(first.strategy(), first.dataset(), method, done.size(), failed,
                metrics(done, RunResult::test), metrics(done, RunResult::validation),
                stat(done, r -> r.parameters() == null ? null : (double) r.parameters().initial()),
                stat(done, r -> r.parameters() == null ? null : (double) r.parameters().finalCount()),
                stat(done, r -> r.parameters() == null ? null : r.parameters().timeAveraged()),
                stat(done, r -> r.parameters() == null ? null : (double) r.parameters().head()),
                stat(done, r -> r.timing() == null ? null : r.timing().medianStepMillis()),
                stat(done, r -> r.timing() == null ? null : r.timing().wallSeconds()),
                stat(done, r -> r.timing() == null ? null : flopsPerStep(r.timing())),
                stat(done, r -> r.timing() == null ? null : r.timing().totalFlops()),
                stat(done, r -> r.timing() == null ? null : (double) r.timing().peakRssBytes()),
                Double.NaN, Double.NaN);
    }

    /** A run's average analytic FLOPs per optimizer step: total FLOPs over steps, NaN without steps. */
    public static double flopsPerStep(RunResult.Timing timing) {
        return timing.steps() > 0 ? timing.totalFlops() / timing.steps() : Double.NaN;
    }

    private static Map<String, MeanStd> metrics(List<RunResult> runs, Function<RunResult, Map<String, Double>> which) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (RunResult run : runs) {
            Map<String, Double> m = which.apply(run);
            if (m == null) {
                continue;
            }
            m.forEach((k, v) -> {
                if (v != null) {
                    values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
                }
            });
        }
        Map<String, MeanStd> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, MeanStd.of(v)));
        return out;
    }

    private static MeanStd stat(List<RunResult> runs, Function<RunResult, Double> value) {
        List<Double> values = new ArrayList<>();
        for (RunResult run : runs) {
            Double v = value.apply(run);
            if (v != null) {
                values.add(v);
            }
        }
        return MeanStd.of(values);
    }
}
