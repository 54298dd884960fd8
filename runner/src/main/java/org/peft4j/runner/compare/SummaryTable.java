package org.peft4j.runner.compare;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.RunResult;

/** The summary table printed at the end of a comparison. */
final class SummaryTable {

    private SummaryTable() {
    }

    static void print(ComparisonResults results, PrintWriter out) {
        out.println();
        out.printf(Locale.ROOT, "%-24s %-22s %8s %-22s %12s %12s %10s %8s%n", "strategy", "dataset", "runs", "test (primary metric)",
                "params avg", "params end", "step ms", "rel.");
        for (ComparisonResults.Summary s : results.summaries()) {
            String metric = "-";
            if (!s.test().isEmpty()) {
                String primary = primaryMetric(results, s);
                ComparisonResults.MeanStd m = s.test().getOrDefault(primary, s.test().values().iterator().next());
                metric = String.format(Locale.ROOT, "%s %.4f ± %.4f", primary, m.mean(), m.std());
            }
            out.printf(Locale.ROOT, "%-24s %-22s %8s %-22s %12.0f %12.0f %10.1f %8s%n", s.strategy(), s.dataset(),
                    s.finished() + (s.failed() > 0 ? "+" + s.failed() + "F" : ""), metric, nan0(s.timeAveragedParams()), nan0(s.finalParams()),
                    nan0(s.medianStepMillis()), Double.isNaN(s.relativeStepTime()) ? "-" : String.format(Locale.ROOT, "%.2fx", s.relativeStepTime()));
        }
        for (RunResult r : results.runs()) {
            if (!r.finished()) {
                out.println("failed: " + r.runId() + ": " + r.failure());
            }
        }
    }

    private static String primaryMetric(ComparisonResults results, ComparisonResults.Summary s) {
        for (RunResult r : results.runs()) {
            if (r.strategy().equals(s.strategy()) && r.dataset().equals(s.dataset()) && r.primaryMetric() != null) {
                return r.primaryMetric();
            }
        }
        Map<String, ComparisonResults.MeanStd> test = s.test();
        return test.keySet().iterator().next();
    }

    private static double nan0(ComparisonResults.MeanStd m) {
        return m == null || Double.isNaN(m.mean()) ? 0 : m.mean();
    }
}
