package org.peft4j.runner.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.RunResult;

/**
 * A hand-built comparison: strategies lora (the reference), elora and aflora on datasets sst2 (accuracy) and cola
 * (matthews), seeds 1 and 2; elora/cola/seed-2 failed; both aflora runs froze matrices.
 *
 * <p>Test primary metric per seed: lora sst2 0.90/0.92, cola 0.50/0.56; elora sst2 0.89/0.90, cola 0.52/failed;
 * aflora sst2 0.93/0.91, cola 0.60/0.58. Median step ms: lora 100/110, elora 120/130 (cola 140), aflora 90/94. Total
 * FLOPs: lora 2e12 over 200 steps, elora 3e12, aflora 1e12 over 200 steps.
 */
final class ReportFixtures {

    static final String FAILURE = "loss became NaN at step 17 | learning rate too high";

    private ReportFixtures() {
    }

    static ComparisonResults comparison() {
        List<RunResult> runs = new ArrayList<>();
        runs.add(run("lora", "sst2", 1, "accuracy", 0.90, 100, 2e12, 147456, 147456, 147456));
        runs.add(run("lora", "sst2", 2, "accuracy", 0.92, 110, 2e12, 147456, 147456, 147456));
        runs.add(run("elora", "sst2", 1, "accuracy", 0.89, 120, 3e12, 36864, 36864, 36864));
        runs.add(run("elora", "sst2", 2, "accuracy", 0.90, 130, 3e12, 36864, 36864, 36864));
        runs.add(run("aflora", "sst2", 1, "accuracy", 0.93, 90, 1e12, 73728, 36864, 50000));
        runs.add(run("aflora", "sst2", 2, "accuracy", 0.91, 94, 1e12, 73728, 36864, 52000));
        runs.add(run("lora", "cola", 1, "matthews", 0.50, 100, 2e12, 147456, 147456, 147456));
        runs.add(run("lora", "cola", 2, "matthews", 0.56, 110, 2e12, 147456, 147456, 147456));
        runs.add(run("elora", "cola", 1, "matthews", 0.52, 140, 3e12, 36864, 36864, 36864));
        runs.add(failed("elora", "cola", 2));
        runs.add(run("aflora", "cola", 1, "matthews", 0.60, 90, 1e12, 73728, 36864, 50000));
        runs.add(run("aflora", "cola", 2, "matthews", 0.58, 94, 1e12, 73728, 36864, 52000));
        ComparisonResults.Environment env = new ComparisonResults.Environment("0.1.0", "abc1234", "17.0.15", "Linux 6.1 amd64",
                "Test CPU @ 2.0GHz", 2, 8L << 30, "1.20.0");
        return new ComparisonResults(ComparisonResults.SCHEMA_VERSION, "fixture", "LoRA, ELoRA and AFLoRA on two tasks", "examples/fixture.yaml",
                "lora", "2026-11-29T09:00:00Z", "2026-11-29T09:30:00Z", env, runs, Summaries.compute(runs, "lora"));
    }

    /** The sst2 half of {@link #comparison()}: six runs, seven charts (two freezing timelines); cheaper to render. */
    static ComparisonResults small() {
        ComparisonResults c = comparison();
        List<RunResult> runs = c.runs().stream().filter(r -> r.dataset().equals("sst2")).toList();
        return new ComparisonResults(c.schemaVersion(), "small", c.description(), c.config(), c.referenceStrategy(), c.startedAt(),
                c.finishedAt(), c.environment(), runs, Summaries.compute(runs, c.referenceStrategy()));
    }

    static RunResult run(String strategy, String dataset, long seed, String metric, double test, double medianMs, double totalFlops,
            long initial, long fin, double avg) {
        int steps = 200;
        List<Double> losses = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        List<Double> stepMillis = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            losses.add(0.3 + 0.4 * Math.exp(-i / (40.0 + strategy.length())) + 0.02 * Math.sin(i * 0.7 + seed));
            counts.add(i < 100 ? initial : fin);
            stepMillis.add(medianMs + (i % 3) - 1);
        }
        List<RunResult.EpochRecord> epochs = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            Map<String, Double> val = new LinkedHashMap<>();
            val.put(metric, test - 0.08 + 0.03 * e);
            val.put("loss", 0.6 - 0.05 * e);
            epochs.add(new RunResult.EpochRecord(e, 50L * (e + 1), 0.6 - 0.1 * e, val));
        }
        Map<String, Double> valBest = new LinkedHashMap<>(epochs.get(3).validation());
        Map<String, Double> testMap = new LinkedHashMap<>();
        testMap.put(metric, test);
        testMap.put("loss", 0.4);
        List<RunResult.FreezeEvent> freezes = strategy.equals("aflora") ? freezes(seed) : List.of();
        RunResult.Timing timing = new RunResult.Timing(60 + seed, 50 + seed, medianMs, medianMs * 1.2, 160.0, totalFlops / steps * 1.2,
                totalFlops / steps * 0.8, totalFlops, 1_500_000_000L + seed, steps, stepMillis);
        return new RunResult(strategy + "/" + dataset + "/seed-" + seed, strategy, dataset, seed, "finished", null, provenance(strategy),
                metric, 3, valBest, testMap, new RunResult.ParameterAccounting(initial, fin, avg, 1538, strategy.equals("elora") ? 2 : 0),
                timing, epochs, losses, counts, freezes, strategy + "/" + dataset + "/seed-" + seed);
    }

    static RunResult failed(String strategy, String dataset, long seed) {
        return new RunResult(strategy + "/" + dataset + "/seed-" + seed, strategy, dataset, seed, "failed", FAILURE, provenance(strategy),
                null, -1, Map.of(), Map.of(), null, null, List.of(), List.of(), List.of(), List.of(), strategy + "/" + dataset + "/seed-" + seed);
    }

    static RunResult.Provenance provenance(String strategy) {
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("r", 8L);
        method.put("alpha", 16.5);
        method.put("target", "query,value");
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", 4L);
        training.put("learning-rate", 0.002);
        training.put("shuffle", true);
        boolean aflora = strategy.equals("aflora");
        return new RunResult.Provenance(strategy, "peft4j-plugin-" + strategy + "@0.1.0", method, aflora ? "aflora-score" : null,
                aflora ? "peft4j-plugin-aflora@0.1.0" : null, aflora ? Map.of("beta", 0.85) : Map.of(), aflora ? "aflora-cubic" : null,
                aflora ? "peft4j-plugin-aflora@0.1.0" : null, aflora ? Map.of("initial-warmup", 1L) : Map.of(), "minilm-l6",
                Map.of("layers", 6L), training, "cpu");
    }

    /**
     * Layers 0-5, six modules, roles A and B. Layer 0's query.A is frozen from the start (step 0); value.B never
     * freezes anywhere but in layer 5; every other matrix freezes at {@code 20 + 10 * layer + column}.
     */
    static List<RunResult.FreezeEvent> freezes(long seed) {
        String[] modules = {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            "intermediate.dense", "output.dense"};
        List<RunResult.FreezeEvent> out = new ArrayList<>();
        out.add(new RunResult.FreezeEvent(0, "encoder.layer.0.attention.self.query.aflora_A", "encoder.layer.0.attention.self.query", "aflora_A"));
        for (int layer = 5; layer >= 0; layer--) {
            int column = 0;
            for (String module : modules) {
                for (String role : new String[] {"aflora_A", "aflora_B"}) {
                    column++;
                    if (layer == 0 && column == 1 || module.endsWith("value") && role.endsWith("B") && layer != 5) {
                        continue;
                    }
                    String m = "encoder.layer." + layer + "." + module;
                    out.add(new RunResult.FreezeEvent(20 + 10L * layer + column + seed, m + "." + role, m, role));
                }
            }
        }
        return out;
    }
}
