package org.peft4j.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peft4j.runner.results.ComparisonResults.Summary;
import org.peft4j.runner.results.RunResult;

class SummariesTest {

    private static final double EPS = 1e-9;

    private static Summary find(List<Summary> summaries, String strategy, String dataset) {
        return summaries.stream().filter(s -> s.strategy().equals(strategy) && s.dataset().equals(dataset)).findFirst().orElseThrow();
    }

    @Test
    void groupsByStrategyAndDatasetInFirstSeenOrder() {
        List<Summary> s = ReportFixtures.comparison().summaries();
        List<String> keys = s.stream().map(x -> x.strategy() + "/" + x.dataset()).toList();
        assertEquals(List.of("lora/sst2", "elora/sst2", "aflora/sst2", "lora/cola", "elora/cola", "aflora/cola"), keys);
    }

    @Test
    void meanAndSampleStdOverFinishedSeeds() {
        List<Summary> s = ReportFixtures.comparison().summaries();
        Summary lora = find(s, "lora", "sst2");
        assertEquals("lora", lora.method());
        assertEquals(2, lora.finished());
        assertEquals(0, lora.failed());
        // 0.90 and 0.92: mean 0.91, sample std sqrt((0.01^2 + 0.01^2) / 1) = 0.0141421356
        assertEquals(0.91, lora.test().get("accuracy").mean(), EPS);
        assertEquals(Math.sqrt(2e-4), lora.test().get("accuracy").std(), EPS);
        assertEquals(2, lora.test().get("accuracy").n());
        // validation at the best epoch: test - 0.08 + 0.09
        assertEquals(0.92, lora.validation().get("accuracy").mean(), EPS);
        // median step 100 and 110
        assertEquals(105, lora.medianStepMillis().mean(), EPS);
        assertEquals(Math.sqrt(50), lora.medianStepMillis().std(), EPS);
        // wall 61 and 62
        assertEquals(61.5, lora.wallSeconds().mean(), EPS);
        // FLOPs per step = total / steps = 2e12 / 200
        assertEquals(1e10, lora.flopsPerStep().mean(), 1e-3);
        assertEquals(0, lora.flopsPerStep().std(), 1e-3);
        assertEquals(2e12, lora.totalFlops().mean(), 1e-3);
        assertEquals(1_500_000_001.5, lora.peakRssBytes().mean(), EPS);
        assertEquals(147456, lora.initialParams().mean(), EPS);
        assertEquals(1538, lora.headParams().mean(), EPS);

        Summary aflora = find(s, "aflora", "cola");
        assertEquals(0.59, aflora.test().get("matthews").mean(), EPS);
        assertEquals(Math.sqrt(2e-4), aflora.test().get("matthews").std(), EPS);
        assertEquals(51000, aflora.timeAveragedParams().mean(), EPS);
        assertEquals(Math.sqrt(2e6), aflora.timeAveragedParams().std(), EPS);
        assertEquals(73728, aflora.initialParams().mean(), EPS);
        assertEquals(36864, aflora.finalParams().mean(), EPS);
    }

    @Test
    void failedRunsAreCountedNotAveraged() {
        Summary elora = find(ReportFixtures.comparison().summaries(), "elora", "cola");
        assertEquals(1, elora.finished());
        assertEquals(1, elora.failed());
        assertEquals(0.52, elora.test().get("matthews").mean(), EPS);
        assertEquals(0.0, elora.test().get("matthews").std(), EPS);
        assertEquals(1, elora.test().get("matthews").n());
        assertEquals(140, elora.medianStepMillis().mean(), EPS);
    }

    @Test
    void relativeToTheReferenceOnTheSameDataset() {
        List<Summary> s = ReportFixtures.comparison().summaries();
        assertEquals(1.0, find(s, "lora", "sst2").relativeStepTime(), EPS);
        assertEquals(125.0 / 105.0, find(s, "elora", "sst2").relativeStepTime(), EPS);
        assertEquals(92.0 / 105.0, find(s, "aflora", "sst2").relativeStepTime(), EPS);
        assertEquals(140.0 / 105.0, find(s, "elora", "cola").relativeStepTime(), EPS);
        assertEquals(1.5, find(s, "elora", "sst2").relativeFlops(), EPS);
        assertEquals(0.5, find(s, "aflora", "cola").relativeFlops(), EPS);
    }

    @Test
    void relativeIsNaNWithoutReferenceOrWhenItFailed() {
        List<RunResult> runs = ReportFixtures.comparison().runs();
        for (Summary x : Summaries.compute(runs, null)) {
            assertTrue(Double.isNaN(x.relativeStepTime()) && Double.isNaN(x.relativeFlops()), x.strategy());
        }
        for (Summary x : Summaries.compute(runs, "no-such-strategy")) {
            assertTrue(Double.isNaN(x.relativeStepTime()), x.strategy());
        }
        List<RunResult> refFailed = new ArrayList<>(runs);
        refFailed.replaceAll(r -> r.strategy().equals("lora") && r.dataset().equals("cola") ? ReportFixtures.failed("lora", "cola", r.seed()) : r);
        List<Summary> s = Summaries.compute(refFailed, "lora");
        assertTrue(Double.isNaN(find(s, "aflora", "cola").relativeStepTime()));
        assertTrue(Double.isNaN(find(s, "aflora", "cola").relativeFlops()));
        assertEquals(92.0 / 105.0, find(s, "aflora", "sst2").relativeStepTime(), EPS);
        Summary allFailed = find(s, "lora", "cola");
        assertEquals(0, allFailed.finished());
        assertEquals(2, allFailed.failed());
        assertTrue(Double.isNaN(allFailed.medianStepMillis().mean()));
        assertEquals(0, allFailed.medianStepMillis().n());
    }

    @Test
    void runWithoutStrategyIsRejected() {
        RunResult bad = new RunResult("x", null, "sst2", 1, "failed", "x", null, null, -1, null, null, null, null, null, null, null, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Summaries.compute(List.of(bad), null));
        assertTrue(e.getMessage().contains("run #0"), e.getMessage());
    }
}
