package org.peft4j.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.results.ComparisonResults;

class ReportWriterTest {

    @TempDir
    Path dir;

    private List<String> names(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesResultsAndBothReportsWithTheirCharts() throws IOException {
        ComparisonResults c = ReportFixtures.small();
        List<Path> written = ReportWriter.writeAll(c, dir);
        assertEquals(List.of(dir.resolve("results.json"), dir.resolve("report.md").toAbsolutePath(), dir.resolve("report.html")), written);
        assertEquals(c, ResultsJson.read(written.get(0)));
        List<String> files = names(dir);
        assertTrue(files.contains("report-loss-sst2.png") && files.contains("report-freeze-aflora-sst2-seed-2.png"), files.toString());
        assertEquals(3 + 7, files.size(), "three files and seven chart images, no temporary file: " + files);
        String md = Files.readString(dir.resolve("report.md"));
        for (String f : files) {
            if (f.endsWith(".png")) {
                assertTrue(md.contains("](" + f + ")"), f);
            }
        }
    }

    @Test
    void markdownElsewhereNamesImagesAfterItsStemAndRemovesStaleOnes() throws IOException {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("results-loss-gone.png"), "stale");
        Files.writeString(docs.resolve("results-logo.png"), "not a chart");
        Files.writeString(docs.resolve("other-loss-x.png"), "another stem");
        List<Path> written = ReportWriter.writeMarkdown(ReportFixtures.small(), docs.resolve("results.md"));
        assertEquals(docs.resolve("results.md").toAbsolutePath(), written.get(0));
        assertEquals(8, written.size());
        List<String> files = names(docs);
        assertFalse(files.contains("results-loss-gone.png"), "a chart image of an earlier rendering is removed");
        assertTrue(files.contains("results-logo.png") && files.contains("other-loss-x.png"), "other files are kept: " + files);
        assertTrue(files.contains("results-step-time.png"));
        assertTrue(Files.readString(docs.resolve("results.md")).contains("![Median training-step time per strategy](results-step-time.png)"));
    }

    @Test
    void reRenderingLeavesResultsJsonAlone() throws IOException {
        Files.writeString(dir.resolve("results.json"), "kept");
        ReportWriter.writeReports(ReportFixtures.small(), dir, List.of());
        assertTrue(Files.readString(dir.resolve("report.html")).contains("No chart"));
        assertEquals("kept", Files.readString(dir.resolve("results.json")));
    }
}
