package org.peft4j.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peft4j.runner.results.ComparisonResults;

class MarkdownReportTest {

    private static final String MD = MarkdownReport.render(ReportFixtures.comparison());

    private static void assertContains(String needle) {
        assertTrue(MD.contains(needle), () -> "missing: " + needle + "\n---\n" + MD);
    }

    @Test
    void mainTableSideBySideAsThePaper() {
        assertContains("| Method | Trainable params | Head params | sst2 (accuracy) | cola (matthews) | Avg. |");
        // lora: sst2 0.90/0.92 -> 91.00 ± 1.41; cola 0.50/0.56 -> 53.00 ± 4.24; average (91 + 53) / 2
        assertContains("| lora | 147.5K | 1538 | 91.00 ± 1.41 | 53.00 ± 4.24 | 72.00 |");
        // elora: one cola seed failed -> its single value, marked, and the average of 89.50 and 52.00
        assertContains("| elora | 36.9K | 1538 | 89.50 ± 0.71 | 52.00 (n=1/2) | 70.75 |");
        // aflora: time-averaged parameters (50000 + 52000) / 2, initial → final
        assertContains("| aflora | 51.0K (73.7K → 36.9K) | 1538 | 92.00 ± 1.41 | 59.00 ± 1.41 | 75.50 |");
    }

    @Test
    void overview() {
        assertContains("12 runs (3 strategies × 2 datasets × 2 seeds): 11 finished, 1 failed. Started 2026-11-29T09:00:00Z,");
        assertEquals("2026-11-29T09:37:38Z", ReportTables.instant("2026-11-29T09:37:38.573451345Z"));
        assertEquals("yesterday", ReportTables.instant("yesterday"));
    }

    @Test
    void runtimeTableRelativeToTheReference() {
        assertContains("## Runtime and FLOPs relative to lora");
        assertContains("| lora | sst2 | 105.0 ± 7.1 | 1.00× | 10.00 G | 2.00 T | 1.00× | 1 min 02 s | 1.4 GiB |");
        // elora sst2: 125 / 105 = 1.19, FLOPs 3e12 / 2e12
        assertContains("| elora | sst2 | 125.0 ± 7.1 | 1.19× | 15.00 G | 3.00 T | 1.50× |");
        assertContains("| elora | cola | 140.0 | 1.33× | 15.00 G | 3.00 T | 1.50× | 1 min 01 s |");
        assertContains("| aflora | cola | 92.0 ± 2.8 | 0.88× | 5.00 G | 1.00 T | 0.50× |");
    }

    @Test
    void failuresWithEscapedReasons() {
        assertContains("## Failed runs");
        assertContains("| elora/cola/seed-2 | loss became NaN at step 17 \\| learning rate too high |");
    }

    @Test
    void environmentAndProvenance() {
        assertContains("- **commit**: abc1234");
        assertContains("- **CPU**: Test CPU @ 2.0GHz (2 cores available)");
        assertContains("- **ONNX Runtime**: 1.20.0");
        assertContains("### aflora (from aflora/sst2/seed-1)");
        assertContains("- **method**: aflora from peft4j-plugin-aflora@0.1.0: r=8, alpha=16.5, target=query,value");
        assertContains("- **scheduler**: aflora-cubic from peft4j-plugin-aflora@0.1.0: initial-warmup=1");
        assertContains("- **training**: epochs=4, learning-rate=0.002, shuffle=true");
    }

    @Test
    void lossesAreNotShownAsPercent() {
        assertContains("| lora | 2 / 2 | 92.00 ± 1.41 | 0.4500 ± 0.0000 | 91.00 ± 1.41 | 0.4000 ± 0.0000 |");
    }

    @Test
    void chartLinksOnlyWhenGiven() {
        assertFalse(MD.contains("## Charts"));
        String md = MarkdownReport.render(ReportFixtures.comparison(),
                List.of(new MarkdownReport.ChartLink("Loss", "How it fell.", "results-loss sst2.png")));
        assertTrue(md.contains("## Charts\n\n![Loss](results-loss%20sst2.png)\n\n*How it fell.*\n"), md);
    }

    @Test
    void withoutReferenceNoRelativeFigures() {
        ComparisonResults c = ReportFixtures.comparison();
        ComparisonResults noRef = new ComparisonResults(c.schemaVersion(), c.name(), c.description(), c.config(), null, c.startedAt(),
                c.finishedAt(), c.environment(), c.runs(), Summaries.compute(c.runs(), null));
        String md = MarkdownReport.render(noRef);
        assertTrue(md.contains("## Runtime and FLOPs\n"), md);
        assertTrue(md.contains("| lora | sst2 | 105.0 ± 7.1 | — | 10.00 G | 2.00 T | — |"), md);
        assertTrue(md.contains("No reference strategy was named"), md);
    }

    @Test
    void allRunsOfAStrategyFailed() {
        ComparisonResults c = ReportFixtures.comparison();
        List<org.peft4j.runner.results.RunResult> runs = c.runs().stream()
                .map(r -> r.strategy().equals("aflora") ? ReportFixtures.failed("aflora", r.dataset(), r.seed()) : r).toList();
        ComparisonResults failed = new ComparisonResults(c.schemaVersion(), c.name(), c.description(), c.config(), "lora", c.startedAt(),
                c.finishedAt(), c.environment(), runs, Summaries.compute(runs, "lora"));
        String md = MarkdownReport.render(failed);
        assertTrue(md.contains("| aflora | — | — | failed | failed | — |"), md);
        assertTrue(md.contains("| aflora | sst2 | failed | — |"), md);
        assertEquals(5, md.split("loss became NaN", -1).length - 1, "four aflora failures and the elora one are listed");
    }
}
