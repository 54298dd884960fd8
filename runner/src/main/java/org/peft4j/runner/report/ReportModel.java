package org.peft4j.runner.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.ComparisonResults.Summary;
import org.peft4j.runner.results.RunResult;

/**
 * A read-only view of a {@link ComparisonResults} shaped for the reports: strategies and datasets in first-seen order,
 * lookups of summaries and runs, and each dataset's primary metric. When the results carry no summaries but do carry
 * runs, the summaries are computed ({@link Summaries#compute}).
 */
final class ReportModel {

    private static final List<String> BOUNDED = List.of("accuracy", "acc", "f1", "matthews", "mcc", "pearson", "spearman", "precision",
            "recall", "auc", "exact");

    private final ComparisonResults results;
    private final List<Summary> summaries;
    private final List<String> strategies;
    private final List<String> datasets;
    private final Map<String, String> primaryMetrics = new LinkedHashMap<>();

    ReportModel(ComparisonResults results) {
        this.results = Objects.requireNonNull(results, "results");
        List<RunResult> runs = results.runs() == null ? List.of() : results.runs();
        this.summaries = results.summaries() == null || results.summaries().isEmpty() && !runs.isEmpty()
                ? Summaries.compute(runs, results.referenceStrategy()) : results.summaries();
        LinkedHashSet<String> s = new LinkedHashSet<>();
        LinkedHashSet<String> d = new LinkedHashSet<>();
        for (Summary summary : summaries) {
            s.add(summary.strategy());
            d.add(summary.dataset());
        }
        for (RunResult run : runs) {
            s.add(run.strategy());
            d.add(run.dataset());
            if (run.primaryMetric() != null) {
                primaryMetrics.putIfAbsent(run.dataset(), run.primaryMetric());
            }
        }
        for (Summary summary : summaries) {
            if (!primaryMetrics.containsKey(summary.dataset()) && summary.test() != null && !summary.test().isEmpty()) {
                primaryMetrics.put(summary.dataset(), summary.test().keySet().iterator().next());
            }
        }
        this.strategies = List.copyOf(s);
        this.datasets = List.copyOf(d);
    }

    ComparisonResults results() {
        return results;
    }

    List<RunResult> runs() {
        return results.runs() == null ? List.of() : results.runs();
    }

    List<Summary> summaries() {
        return summaries;
    }

    /** Strategies in first-seen order. */
    List<String> strategies() {
        return strategies;
    }

    /** Datasets in first-seen order. */
    List<String> datasets() {
        return datasets;
    }

    /** The palette index of a strategy: its position in {@link #strategies()}. */
    int colorIndex(String strategy) {
        return Math.max(0, strategies.indexOf(strategy));
    }

    /** The dataset's primary metric id, or null when no run names one and no summary has a test metric. */
    String primaryMetric(String dataset) {
        return primaryMetrics.get(dataset);
    }

    /** The summary of a strategy on a dataset, or null. */
    Summary summary(String strategy, String dataset) {
        for (Summary s : summaries) {
            if (s.strategy().equals(strategy) && s.dataset().equals(dataset)) {
                return s;
            }
        }
        return null;
    }

    /** The summaries of a dataset, in order. */
    List<Summary> summaries(String dataset) {
        return summaries.stream().filter(s -> s.dataset().equals(dataset)).toList();
    }

    /** The finished runs of a strategy on a dataset, in plan order. */
    List<RunResult> finishedRuns(String strategy, String dataset) {
        List<RunResult> out = new ArrayList<>();
        for (RunResult run : runs()) {
            if (run.finished() && run.strategy().equals(strategy) && run.dataset().equals(dataset)) {
                out.add(run);
            }
        }
        return out;
    }

    /** The failed runs, in plan order. */
    List<RunResult> failedRuns() {
        return runs().stream().filter(r -> !r.finished()).toList();
    }

    /** The first run of a strategy that has provenance (finished preferred), or null. */
    RunResult provenanceRun(String strategy) {
        RunResult fallback = null;
        for (RunResult run : runs()) {
            if (run.strategy().equals(strategy) && run.provenance() != null) {
                if (run.finished()) {
                    return run;
                }
                if (fallback == null) {
                    fallback = run;
                }
            }
        }
        return fallback;
    }

    /**
     * Whether a metric is shown ×100, as GLUE papers show them: its id names a bounded score (accuracy, F1, Matthews,
     * Pearson, Spearman, precision, recall, AUC, exact match; never a loss or an error) and every finished value of it
     * on the dataset lies in [-1, 1].
     */
    boolean percentScale(String dataset, String metric) {
        String id = metric.toLowerCase(java.util.Locale.ROOT);
        if (id.contains("loss") || id.contains("error") || BOUNDED.stream().noneMatch(id::contains)) {
            return false;
        }
        boolean any = false;
        for (RunResult run : runs()) {
            if (!run.finished() || !run.dataset().equals(dataset)) {
                continue;
            }
            for (Map<String, Double> m : List.of(nullToEmpty(run.test()), nullToEmpty(run.validation()))) {
                Double v = m.get(metric);
                if (v != null && Double.isFinite(v)) {
                    any = true;
                    if (Math.abs(v) > 1) {
                        return false;
                    }
                }
            }
        }
        return any;
    }

    private static Map<String, Double> nullToEmpty(Map<String, Double> m) {
        return m == null ? Map.of() : m;
    }
}
