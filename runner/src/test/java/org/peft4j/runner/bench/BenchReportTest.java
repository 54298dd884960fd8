package org.peft4j.runner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ratio arithmetic, statistics and rendering of bench reports, on hand-made figures. */
class BenchReportTest {

    private static final BenchSettings SETTINGS = new BenchSettings(16, 128, 4, 1, 2, 2, 64, 1);

    private static StrategyResult result(String name, String method, boolean frozen, double stepMillis, long flops) {
        StepStats train = StepStats.of(new double[] {stepMillis, stepMillis});
        return new StrategyResult(new BenchStrategy(name, method, Map.of(), frozen), 16, 128, train, train, StepStats.of(new double[] {1}),
                flops, flops / 3, 100, 0.5, 1L << 30, "strategy", 0.69, 1L << 29, 1L << 28);
    }

    private static MatMulLimit limit(double gflops) {
        return new MatMulLimit(64, StepStats.of(new double[] {1}), gflops);
    }

    @Test
    void ratiosDivideByBaselineEloraAndLimit() {
        StrategyResult base = result("base", "head-only", false, 100, 1_000_000_000L);
        StrategyResult lora = result("lora", "lora", false, 230, 2_300_000_000L);
        StrategyResult elora = result("elora", "elora", false, 1000, 40_000_000_000L);
        StrategyResult eloraFrozen = result("elora-frozen", "elora", true, 10, 1L);
        BenchReport report = new BenchReport("m", SETTINGS, Machine.probe(), limit(50), null, List.of(base, eloraFrozen, lora, elora), List.of());
        assertEquals(base, report.baseline());
        assertEquals(elora, report.elora(), "an all-frozen ELoRA variant is not the reference");
        assertEquals(2.3, report.vsBaseline(lora), 1e-12);
        assertEquals(0.23, report.vsElora(lora), 1e-12);
        assertEquals(1.0, report.vsElora(elora), 1e-12);
        // 40 GFLOP in 1 s = 40 GFLOP/s, 80% of 50
        assertEquals(40.0, elora.gflopsPerSecond(), 1e-9);
        assertEquals(0.8, report.ofLimit(elora), 1e-12);
        assertEquals(16 * 1000.0 / 230, lora.examplesPerSecond(), 1e-9);
    }

    @Test
    void missingReferencesGiveNaNAndNullInJson() {
        StrategyResult lora = result("lora", "lora", false, 200, 2_000_000_000L);
        BenchReport report = new BenchReport("m", SETTINGS, Machine.probe(), limit(10), null, List.of(lora), List.of());
        assertTrue(Double.isNaN(report.vsBaseline(lora)));
        assertTrue(Double.isNaN(report.vsElora(lora)));
        JsonObject json = JsonParser.parseString(report.toJson()).getAsJsonObject();
        JsonObject row = json.getAsJsonArray("strategies").get(0).getAsJsonObject();
        assertTrue(row.get("vsBaseline").isJsonNull());
        assertTrue(row.get("vsElora").isJsonNull());
        assertEquals(1.0, row.get("ofMatMulLimit").getAsDouble(), 1e-9);
        assertTrue(report.table().contains("lora"));
        assertTrue(json.get("matMulLimitAfter").isJsonNull());
    }

    @Test
    void tableAndJsonCarryEveryStrategyAndTheSweep() {
        StrategyResult base = result("base", "head-only", false, 100, 1_000_000_000L);
        StrategyResult lora = result("lora", "lora", false, 150, 2_000_000_000L);
        BenchReport report = new BenchReport("tiny", SETTINGS, Machine.probe(), limit(20), limit(25), List.of(base, lora), List.of())
                .withSweep(List.of(result("lora", "lora", false, 40, 1L), result("lora", "lora", false, 80, 2L)));
        String table = report.table();
        assertTrue(table.contains("MatMul limit (64^3 float32): 20.0 GFLOP/s interleaved"), table);
        assertTrue(table.contains("25.0 GFLOP/s alone"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("lora ") && l.contains("1.50")), table);
        assertTrue(table.contains("sweep strategy"), table);
        assertEquals(25.0, report.limitGflopsPerSecond(), 1e-12, "the better of the two limit measurements");
        assertEquals(lora.gflopsPerSecond() / 25.0, report.ofLimit(lora), 1e-12);
        JsonObject json = JsonParser.parseString(report.toJson()).getAsJsonObject();
        assertEquals("tiny", json.get("model").getAsString());
        JsonArray rows = json.getAsJsonArray("strategies");
        assertEquals(2, rows.size());
        assertEquals(1.5, rows.get(1).getAsJsonObject().get("vsBaseline").getAsDouble(), 1e-12);
        assertEquals(150.0, rows.get(1).getAsJsonObject().getAsJsonObject("stepMillis").get("median").getAsDouble(), 1e-12);
        assertEquals(2, json.getAsJsonArray("sweep").size());
        assertEquals(16, json.getAsJsonObject("settings").get("batchSize").getAsInt());
    }

    @Test
    void stepStatsInterpolatePercentiles() {
        StepStats s = StepStats.of(new double[] {5, 1, 4, 2, 3});
        assertEquals(3, s.median(), 1e-12);
        assertEquals(1.4, s.p10(), 1e-12);
        assertEquals(4.6, s.p90(), 1e-12);
        assertEquals(1, s.min());
        assertEquals(5, s.max());
        assertEquals((4.6 - 1.4) / 3, s.spread(), 1e-12);
        assertEquals(2.5, StepStats.of(new double[] {2, 3}).median(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> StepStats.of(new double[0]));
    }

    @Test
    void settingsRejectNonPositiveSizes() {
        assertThrows(IllegalArgumentException.class, () -> new BenchSettings(0, 128, 4, 1, 2, 2, 64, 1));
        assertThrows(IllegalArgumentException.class, () -> new BenchSettings(1, 128, 4, -1, 2, 2, 64, 1));
        assertEquals(64, SETTINGS.withShape(64, 32).batchSize());
    }
}
