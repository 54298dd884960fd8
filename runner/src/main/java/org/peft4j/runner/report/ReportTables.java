package org.peft4j.runner.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.ComparisonResults.MeanStd;
import org.peft4j.runner.results.ComparisonResults.Summary;
import org.peft4j.runner.results.RunResult;

/**
 * The tables and key-value lists shared by the Markdown and the HTML report, as plain text cells; each renderer
 * escapes and lays them out in its own format.
 */
final class ReportTables {

    /**
     * A table of plain-text cells.
     *
     * @param header column titles
     * @param numeric per column, whether it is right-aligned
     * @param rows the rows, each as long as the header
     */
    record Table(List<String> header, List<Boolean> numeric, List<List<String>> rows) {
    }

    /**
     * A titled list of key-value lines.
     *
     * @param title the title
     * @param entries key to value, in order
     */
    record KeyValues(String title, Map<String, String> entries) {
    }

    static final String MISSING = "—";

    private ReportTables() {
    }

    /** The sentence under the report's title: when, from what, how many runs. */
    static String overview(ReportModel m) {
        ComparisonResults r = m.results();
        long finished = m.runs().stream().filter(RunResult::finished).count();
        long failed = m.runs().size() - finished;
        StringBuilder sb = new StringBuilder();
        long seeds = m.runs().stream().map(RunResult::seed).distinct().count();
        sb.append(m.runs().size()).append(" runs (").append(plural(m.strategies().size(), "strategy", "strategies")).append(" × ")
                .append(plural(m.datasets().size(), "dataset", "datasets")).append(" × ").append(plural(seeds, "seed", "seeds"))
                .append("): ").append(finished).append(" finished, ").append(failed).append(" failed.");
        if (r.startedAt() != null) {
            sb.append(" Started ").append(instant(r.startedAt()));
            if (r.finishedAt() != null) {
                sb.append(", finished ").append(instant(r.finishedAt()));
            }
            sb.append('.');
        }
        if (r.config() != null) {
            sb.append(" Config: ").append(r.config()).append('.');
        }
        return sb.toString();
    }

    private static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** An ISO-8601 instant to the second ({@code 2026-11-29T09:37:38Z}); other text as it is. */
    static String instant(String iso) {
        try {
            return java.time.Instant.parse(iso).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    /** The note under the main table: which values, which split, which scale. */
    static String mainNote(ReportModel m) {
        StringBuilder sb = new StringBuilder("Each dataset column: the dataset's primary metric on the test split at the epoch with the best "
                + "validation value (validation split where there are no test values, marked \"val\"), mean ± sample standard deviation "
                + "over the finished seeds; (n=k/m) says k of m seeds finished when some failed.");
        boolean anyPercent = m.datasets().stream().anyMatch(d -> m.primaryMetric(d) != null && m.percentScale(d, m.primaryMetric(d)));
        if (anyPercent) {
            sb.append(" Scores such as accuracy, F1 and Matthews correlation are shown ×100.");
        }
        sb.append(" Trainable parameters count the adapters only (time-averaged over the optimizer steps; initial → final when"
                + " they change); the task head is listed apart. Avg.: mean over the datasets, when the strategy has a value for each.");
        return sb.toString();
    }

    /** The paper-style table: method, trainable parameters, the primary metric per dataset, the average. */
    static Table main(ReportModel m) {
        List<String> header = new ArrayList<>(List.of("Method", "Trainable params", "Head params"));
        List<Boolean> numeric = new ArrayList<>(List.of(false, true, true));
        for (String d : m.datasets()) {
            String metric = m.primaryMetric(d);
            String split = usesTest(m, d) ? "" : ", val";
            header.add(metric == null ? d : d + " (" + metric + split + ")");
            numeric.add(true);
        }
        header.add("Avg.");
        numeric.add(true);
        List<List<String>> rows = new ArrayList<>();
        for (String strategy : m.strategies()) {
            List<String> row = new ArrayList<>();
            String method = methodOf(m, strategy);
            row.add(method == null || method.equals(strategy) ? strategy : strategy + " (" + method + ")");
            row.add(params(m, strategy));
            row.add(headParams(m, strategy));
            List<Double> forAverage = new ArrayList<>();
            boolean complete = true;
            for (String d : m.datasets()) {
                Summary s = m.summary(strategy, d);
                String metric = m.primaryMetric(d);
                Map<String, MeanStd> split = s == null ? null : usesTest(m, d) ? s.test() : s.validation();
                MeanStd v = split == null || metric == null ? null : split.get(metric);
                if (s == null) {
                    row.add(MISSING);
                    complete = false;
                } else if (v == null || v.n() == 0) {
                    row.add(s.finished() == 0 && s.failed() > 0 ? "failed" : MISSING);
                    complete = false;
                } else {
                    double scale = m.percentScale(d, metric) ? 100 : 1;
                    int planned = s.finished() + s.failed();
                    row.add(meanStd(v, scale, scale == 100 ? 2 : 4) + (v.n() < planned ? " (n=" + v.n() + "/" + planned + ")" : ""));
                    if (Double.isFinite(v.mean())) {
                        forAverage.add(v.mean() * scale);
                    } else {
                        complete = false;
                    }
                }
            }
            row.add(complete && !forAverage.isEmpty() ? fixed(forAverage.stream().mapToDouble(Double::doubleValue).average().orElse(0), 2)
                    : MISSING);
            rows.add(row);
        }
        return new Table(header, numeric, rows);
    }

    /** Runtime and FLOPs per strategy and dataset, relative to the reference strategy. */
    static Table runtime(ReportModel m) {
        String ref = m.results().referenceStrategy();
        List<String> header = List.of("Strategy", "Dataset", "Median step (ms)", "Step time vs " + (ref == null ? "reference" : ref),
                "FLOPs / step", "Total FLOPs", "FLOPs vs " + (ref == null ? "reference" : ref), "Wall time", "Peak memory (RSS)");
        List<Boolean> numeric = List.of(false, false, true, true, true, true, true, true, true);
        List<List<String>> rows = new ArrayList<>();
        for (String d : m.datasets()) {
            for (String strategy : m.strategies()) {
                Summary s = m.summary(strategy, d);
                if (s == null) {
                    continue;
                }
                if (s.finished() == 0) {
                    rows.add(List.of(strategy, d, "failed", MISSING, MISSING, MISSING, MISSING, MISSING, MISSING));
                    continue;
                }
                rows.add(List.of(strategy, d, meanStdPlain(s.medianStepMillis(), 1), ratio(s.relativeStepTime()),
                        si(s.flopsPerStep().mean()), si(s.totalFlops().mean()), ratio(s.relativeFlops()), duration(s.wallSeconds().mean()),
                        bytes(s.peakRssBytes().mean())));
            }
        }
        return new Table(header, numeric, rows);
    }

    /** Every validation and test metric of one dataset, per strategy. */
    static Table metrics(ReportModel m, String dataset) {
        LinkedHashSet<String> val = new LinkedHashSet<>();
        LinkedHashSet<String> test = new LinkedHashSet<>();
        for (Summary s : m.summaries(dataset)) {
            if (s.validation() != null) {
                val.addAll(s.validation().keySet());
            }
            if (s.test() != null) {
                test.addAll(s.test().keySet());
            }
        }
        List<String> header = new ArrayList<>(List.of("Strategy", "Finished / runs"));
        List<Boolean> numeric = new ArrayList<>(List.of(false, true));
        val.forEach(k -> {
            header.add("val " + k);
            numeric.add(true);
        });
        test.forEach(k -> {
            header.add("test " + k);
            numeric.add(true);
        });
        List<List<String>> rows = new ArrayList<>();
        for (Summary s : m.summaries(dataset)) {
            List<String> row = new ArrayList<>(List.of(s.strategy(), s.finished() + " / " + (s.finished() + s.failed())));
            for (String k : val) {
                row.add(metricCell(m, dataset, k, s.validation()));
            }
            for (String k : test) {
                row.add(metricCell(m, dataset, k, s.test()));
            }
            rows.add(row);
        }
        return new Table(header, numeric, rows);
    }

    /** The failed runs and their reasons. */
    static Table failures(ReportModel m) {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : m.failedRuns()) {
            rows.add(List.of(r.runId(), oneLine(r.failure() == null ? "(no reason recorded)" : r.failure())));
        }
        return new Table(List.of("Run", "Reason"), List.of(false, false), rows);
    }

    /** Machine, versions and commit. */
    static KeyValues environment(ReportModel m) {
        Map<String, String> e = new LinkedHashMap<>();
        ComparisonResults.Environment env = m.results().environment();
        if (env == null) {
            e.put("environment", "not recorded");
            return new KeyValues("Environment", e);
        }
        e.put("peft4j", orMissing(env.peft4jVersion()));
        e.put("commit", orMissing(env.gitCommit()));
        e.put("Java", orMissing(env.java()));
        e.put("OS", orMissing(env.os()));
        e.put("CPU", orMissing(env.cpu()) + " (" + env.cores() + " cores available)");
        e.put("memory", env.memoryBytes() > 0 ? bytes(env.memoryBytes()) : MISSING);
        e.put("ONNX Runtime", orMissing(env.onnxRuntime()));
        return new KeyValues("Environment", e);
    }

    /** Per strategy: the extensions with their origins and effective hyperparameters. */
    static List<KeyValues> provenance(ReportModel m) {
        List<KeyValues> out = new ArrayList<>();
        for (String strategy : m.strategies()) {
            RunResult run = m.provenanceRun(strategy);
            Map<String, String> e = new LinkedHashMap<>();
            if (run == null) {
                e.put("provenance", "not recorded");
                out.add(new KeyValues(strategy, e));
                continue;
            }
            RunResult.Provenance p = run.provenance();
            e.put("method", extension(p.method(), p.methodOrigin(), p.methodParams()));
            e.put("scorer", p.scorer() == null ? "none" : extension(p.scorer(), p.scorerOrigin(), p.scorerParams()));
            e.put("scheduler", p.scheduler() == null ? "none" : extension(p.scheduler(), p.schedulerOrigin(), p.schedulerParams()));
            e.put("model", extension(p.model(), null, p.modelParams()));
            e.put("training", params(p.training()));
            e.put("device", orMissing(p.device()));
            out.add(new KeyValues(strategy + " (from " + run.runId() + ")", e));
        }
        return out;
    }

    private static String extension(String id, String origin, Map<String, Object> params) {
        StringBuilder sb = new StringBuilder(orMissing(id));
        if (origin != null) {
            sb.append(" from ").append(origin);
        }
        if (params != null && !params.isEmpty()) {
            sb.append(": ").append(params(params));
        }
        return sb.toString();
    }

    private static String params(Map<String, Object> params) {
        if (params == null || params.isEmpty()) {
            return "(none)";
        }
        StringJoiner j = new StringJoiner(", ");
        params.forEach((k, v) -> j.add(k + "=" + value(v)));
        return j.toString();
    }

    private static String value(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }

    private static String methodOf(ReportModel m, String strategy) {
        for (Summary s : m.summaries()) {
            if (s.strategy().equals(strategy) && s.method() != null) {
                return s.method();
            }
        }
        return null;
    }

    private static boolean usesTest(ReportModel m, String dataset) {
        String metric = m.primaryMetric(dataset);
        return metric == null || m.summaries(dataset).stream().anyMatch(s -> s.test() != null && s.test().get(metric) != null
                && s.test().get(metric).n() > 0);
    }

    private static String params(ReportModel m, String strategy) {
        List<Summary> ss = m.summaries().stream().filter(s -> s.strategy().equals(strategy) && s.finished() > 0).toList();
        if (ss.isEmpty()) {
            return MISSING;
        }
        double avg = ss.stream().mapToDouble(s -> s.timeAveragedParams().mean()).average().orElse(Double.NaN);
        double initial = ss.stream().mapToDouble(s -> s.initialParams().mean()).average().orElse(Double.NaN);
        double fin = ss.stream().mapToDouble(s -> s.finalParams().mean()).average().orElse(Double.NaN);
        if (initial == fin && Math.abs(avg - initial) < 0.5) {
            return count(avg);
        }
        return count(avg) + " (" + count(initial) + " → " + count(fin) + ")";
    }

    private static String headParams(ReportModel m, String strategy) {
        List<Summary> ss = m.summaries().stream().filter(s -> s.strategy().equals(strategy) && s.finished() > 0).toList();
        if (ss.isEmpty()) {
            return MISSING;
        }
        double min = ss.stream().mapToDouble(s -> s.headParams().mean()).min().orElse(Double.NaN);
        double max = ss.stream().mapToDouble(s -> s.headParams().mean()).max().orElse(Double.NaN);
        return min == max ? count(min) : count(min) + "–" + count(max);
    }

    private static String metricCell(ReportModel m, String dataset, String metric, Map<String, MeanStd> values) {
        MeanStd v = values == null ? null : values.get(metric);
        if (v == null || v.n() == 0) {
            return MISSING;
        }
        boolean pct = m.percentScale(dataset, metric);
        return meanStd(v, pct ? 100 : 1, pct ? 2 : 4);
    }

    /** {@code mean ± std}, scaled; just the mean for one value. */
    static String meanStd(MeanStd v, double scale, int decimals) {
        if (v == null || v.n() == 0) {
            return MISSING;
        }
        String mean = fixed(v.mean() * scale, decimals);
        return v.n() > 1 ? mean + " ± " + fixed(v.std() * scale, decimals) : mean;
    }

    private static String meanStdPlain(MeanStd v, int decimals) {
        return meanStd(v, 1, decimals);
    }

    static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "∞" : "-∞";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A ratio such as {@code 1.00×}, or {@link #MISSING} when NaN. */
    static String ratio(double v) {
        return Double.isNaN(v) ? MISSING : fixed(v, 2) + "×";
    }

    /** A parameter count: 812, 12.3K, 1.23M. */
    static String count(double v) {
        if (!Double.isFinite(v)) {
            return MISSING;
        }
        double a = Math.abs(v);
        if (a >= 1e9) {
            return fixed(v / 1e9, 2) + "B";
        }
        if (a >= 1e6) {
            return fixed(v / 1e6, 2) + "M";
        }
        if (a >= 1e4) {
            return fixed(v / 1e3, 1) + "K";
        }
        return fixed(v, v == Math.rint(v) ? 0 : 1);
    }

    /** A quantity with an SI prefix: 1.23 G, 45.6 T. */
    static String si(double v) {
        if (!Double.isFinite(v)) {
            return MISSING;
        }
        String[] prefixes = {"", " K", " M", " G", " T", " P", " E"};
        int i = 0;
        double a = v;
        while (Math.abs(a) >= 1000 && i < prefixes.length - 1) {
            a /= 1000;
            i++;
        }
        return fixed(a, i == 0 ? 0 : 2) + prefixes[i];
    }

    /** Seconds as {@code 12.3 s}, {@code 4 min 05 s} or {@code 1 h 02 min}. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return MISSING;
        }
        if (seconds < 60) {
            return fixed(seconds, 1) + " s";
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** Bytes in binary units: {@code 512 MiB}. */
    static String bytes(double b) {
        if (!Double.isFinite(b)) {
            return MISSING;
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        double a = b;
        while (a >= 1024 && i < units.length - 1) {
            a /= 1024;
            i++;
        }
        return fixed(a, i == 0 ? 0 : 1) + " " + units[i];
    }

    private static String orMissing(String s) {
        return s == null || s.isBlank() ? MISSING : s;
    }

    /** Collapses whitespace, line breaks included, to single spaces. */
    static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
