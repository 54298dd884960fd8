package org.peft4j.runner.bench;

import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of one benchmark run, with the ratios the performance targets are stated in, a
 * plain-text table and a JSON form.
 *
 * <p>Ratios: a strategy's median training step time divided by that of the baseline (the first
 * strategy whose method is {@value BenchStrategy#HEAD_ONLY}) and by that of ELoRA (the first
 * strategy whose method is {@value BenchStrategy#ELORA} and that is not an all-frozen variant);
 * its achieved GFLOP/s divided by the MatMul limit (the better of the measurement interleaved
 * with the strategies and the one alone after them). A ratio whose
 * reference is absent is {@code NaN} (printed {@code -}, written {@code null} in JSON).
 *
 * @param model the model id
 * @param settings what was measured
 * @param machine the machine, with the load at start and end
 * @param matMulLimit the MatMul limit measured interleaved with the strategies' steps (same load)
 * @param matMulLimitAfter the MatMul limit measured alone after the strategies, or null
 * @param results one entry per strategy, in order
 * @param sweep the scaling sweep's entries, empty when none ran
 */
public record BenchReport(String model, BenchSettings settings, Machine machine, MatMulLimit matMulLimit, MatMulLimit matMulLimitAfter,
        List<StrategyResult> results, List<StrategyResult> sweep) {

    public BenchReport {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(matMulLimit, "matMulLimit");
        results = List.copyOf(results);
        sweep = List.copyOf(sweep);
    }

    /** This report with a scaling sweep attached. */
    public BenchReport withSweep(List<StrategyResult> newSweep) {
        return new BenchReport(model, settings, machine, matMulLimit, matMulLimitAfter, results, newSweep);
    }

    /** The baseline result (first head-only strategy), or null. */
    public StrategyResult baseline() {
        return results.stream().filter(r -> r.strategy().method().equals(BenchStrategy.HEAD_ONLY)).findFirst().orElse(null);
    }

    /** The ELoRA reference result (first ELoRA strategy that is not all-frozen), or null. */
    public StrategyResult elora() {
        return results.stream().filter(r -> r.strategy().method().equals(BenchStrategy.ELORA) && !r.strategy().allFrozen())
                .findFirst().orElse(null);
    }

    /** {@code r}'s median step time over the baseline's; NaN without a baseline. */
    public double vsBaseline(StrategyResult r) {
        return ratio(r, baseline());
    }

    /** {@code r}'s median step time over ELoRA's; NaN without ELoRA. */
    public double vsElora(StrategyResult r) {
        return ratio(r, elora());
    }

    /**
     * The MatMul limit the ratios use: the better of the interleaved and the lone measurement
     * (on a shared machine the slower one was disturbed by other load).
     */
    public double limitGflopsPerSecond() {
        return matMulLimitAfter == null ? matMulLimit.gflopsPerSecond()
                : Math.max(matMulLimit.gflopsPerSecond(), matMulLimitAfter.gflopsPerSecond());
    }

    /** {@code r}'s achieved GFLOP/s over the MatMul limit ({@link #limitGflopsPerSecond()}). */
    public double ofLimit(StrategyResult r) {
        double limit = limitGflopsPerSecond();
        return limit <= 0 ? Double.NaN : r.gflopsPerSecond() / limit;
    }

    private static double ratio(StrategyResult r, StrategyResult reference) {
        if (reference == null || reference.train().median() <= 0) {
            return Double.NaN;
        }
        return r.train().median() / reference.train().median();
    }

    /** The human-readable report: machine, limit, one row per strategy, and the sweep if any. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "model %s, batch %d x length %d, %d timed steps after %d warm-up, %d eval runs, %d intra-op threads%n",
                model, settings.batchSize(), settings.sequenceLength(), settings.steps(), settings.warmup(), settings.evalSteps(),
                settings.threads()));
        sb.append(String.format(Locale.ROOT, "machine: %d cores, %s, %.1f GiB; load average %.2f at start, %.2f at end%n", machine.cores(),
                machine.cpuModel(), machine.memoryBytes() / 1073741824.0, machine.loadAverageStart(), machine.loadAverageEnd()));
        sb.append(String.format(Locale.ROOT, "MatMul limit (%d^3 float32): %.1f GFLOP/s interleaved with the strategies (median %.1f ms)%s; ratios use the better one%n", matMulLimit.size(),
                matMulLimit.gflopsPerSecond(), matMulLimit.times().median(), matMulLimitAfter == null ? ""
                        : String.format(Locale.ROOT, "; %.1f GFLOP/s alone", matMulLimitAfter.gflopsPerSecond())));
        sb.append('\n');
        String header = String.format(Locale.ROOT, "%-20s %10s %8s %9s %9s %9s %9s %8s %8s %8s %8s %8s%n", "strategy", "step ms", "spread",
                "model ms", "eval ms", "ex/s", "GFLOP", "GFLOP/s", "RSS MB", "vs base", "vs ELoRA", "of limit");
        sb.append(header);
        sb.append("-".repeat(header.length() - 1)).append('\n');
        for (StrategyResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-20s %10.1f %7.0f%% %9.1f %9.1f %9.1f %9.2f %8.1f %8.0f %8s %8s %8s%n", r.strategy().name(),
                    r.train().median(), 100 * r.train().spread(), r.trainModelOnly().median(), r.eval().median(), r.examplesPerSecond(),
                    r.flopsPerStep() / 1e9, r.gflopsPerSecond(), r.peakRssBytes() / 1048576.0, fmt(vsBaseline(r)), fmt(vsElora(r)),
                    fmtPercent(ofLimit(r))));
        }
        sb.append("\nstep ms: median of training model + optimizer; spread: (p90 - p10) / median; model ms: training model alone;\n"
                + "vs base / vs ELoRA: step time over the head-only baseline's / ELoRA's; of limit: GFLOP/s over the MatMul limit.\n");
        if (!sweep.isEmpty()) {
            sb.append('\n').append(sweepTable());
        }
        return sb.toString();
    }

    /** The sweep as a table: one row per shape, with time per example and per token. */
    public String sweepTable() {
        StringBuilder sb = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-20s %6s %6s %10s %10s %12s %9s %8s %8s%n", "sweep strategy", "batch", "length", "step ms",
                "ms/example", "us/token", "GFLOP", "GFLOP/s", "RSS MB");
        sb.append(header);
        sb.append("-".repeat(header.length() - 1)).append('\n');
        for (StrategyResult r : sweep) {
            double perExample = r.train().median() / r.batchSize();
            sb.append(String.format(Locale.ROOT, "%-20s %6d %6d %10.1f %10.2f %12.2f %9.2f %8.1f %8.0f%n", r.strategy().name(), r.batchSize(),
                    r.sequenceLength(), r.train().median(), perExample, 1000 * perExample / r.sequenceLength(), r.flopsPerStep() / 1e9,
                    r.gflopsPerSecond(), r.peakRssBytes() / 1048576.0));
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmtPercent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    /** The report as JSON (ratios included; NaN ratios as null). */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("batchSize", settings.batchSize());
        s.put("sequenceLength", settings.sequenceLength());
        s.put("steps", settings.steps());
        s.put("warmup", settings.warmup());
        s.put("evalSteps", settings.evalSteps());
        s.put("threads", settings.threads());
        s.put("matMulSize", settings.matMulSize());
        s.put("seed", settings.seed());
        root.put("settings", s);
        root.put("machine", machine);
        root.put("matMulLimit", limitJson(matMulLimit));
        root.put("matMulLimitAfter", matMulLimitAfter == null ? null : limitJson(matMulLimitAfter));
        root.put("limitGflopsPerSecond", limitGflopsPerSecond());
        List<Object> rs = new ArrayList<>();
        for (StrategyResult r : results) {
            Map<String, Object> m = resultJson(r);
            m.put("vsBaseline", nullIfNaN(vsBaseline(r)));
            m.put("vsElora", nullIfNaN(vsElora(r)));
            m.put("ofMatMulLimit", nullIfNaN(ofLimit(r)));
            rs.add(m);
        }
        root.put("strategies", rs);
        List<Object> sw = new ArrayList<>();
        for (StrategyResult r : sweep) {
            sw.add(resultJson(r));
        }
        root.put("sweep", sw);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root);
    }

    private static Map<String, Object> limitJson(MatMulLimit l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", l.size());
        m.put("gflopsPerSecond", l.gflopsPerSecond());
        m.put("millis", l.times());
        return m;
    }

    private static Map<String, Object> resultJson(StrategyResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.strategy().name());
        m.put("method", r.strategy().method());
        m.put("params", r.strategy().params());
        m.put("allFrozen", r.strategy().allFrozen());
        m.put("batchSize", r.batchSize());
        m.put("sequenceLength", r.sequenceLength());
        m.put("stepMillis", r.train());
        m.put("trainingModelMillis", r.trainModelOnly());
        m.put("evalMillis", r.eval());
        m.put("examplesPerSecond", r.examplesPerSecond());
        m.put("flopsPerStep", r.flopsPerStep());
        m.put("evalFlops", r.evalFlops());
        m.put("gflopsPerSecond", r.gflopsPerSecond());
        m.put("evalGflopsPerSecond", r.evalGflopsPerSecond());
        m.put("trainableParameters", r.trainableParameters());
        m.put("compileSeconds", r.compileSeconds());
        m.put("peakRssBytes", r.peakRssBytes());
        m.put("rssScope", r.rssScope());
        m.put("rssAtStartBytes", r.rssAtStartBytes());
        m.put("heapCommittedBytes", r.heapCommittedBytes());
        m.put("lastLoss", nullIfNaN(r.lastLoss()));
        return m;
    }

    private static Double nullIfNaN(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
