package org.peft4j.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.RunResult;

class ResultsJsonTest {

    @TempDir
    Path dir;

    /** The fixture with non-finite values where a real run can produce them. */
    static ComparisonResults withNonFinite() {
        ComparisonResults c = ReportFixtures.comparison();
        List<RunResult> runs = new ArrayList<>(c.runs());
        RunResult r = runs.get(0);
        Map<String, Double> test = new LinkedHashMap<>(r.test());
        test.put("matthews", Double.NaN);
        test.put("ratio", Double.POSITIVE_INFINITY);
        test.put("neg", Double.NEGATIVE_INFINITY);
        List<Double> losses = new ArrayList<>(r.losses());
        losses.set(3, Double.NaN);
        runs.set(0, new RunResult(r.runId(), r.strategy(), r.dataset(), r.seed(), r.status(), r.failure(), r.provenance(), r.primaryMetric(),
                r.bestEpoch(), r.validation(), test, r.parameters(), r.timing(), r.epochs(), losses, r.trainableCounts(), r.freezes(),
                r.directory()));
        // no reference: every relative figure is NaN
        return new ComparisonResults(c.schemaVersion(), c.name(), null, c.config(), null, c.startedAt(), c.finishedAt(), c.environment(),
                runs, Summaries.compute(runs, null));
    }

    @Test
    void roundTripIsEqualIncludingNaNInfinityAndNulls() throws IOException {
        ComparisonResults original = withNonFinite();
        Path file = dir.resolve("results.json");
        ResultsJson.write(original, file);
        ComparisonResults back = ResultsJson.read(file);
        assertEquals(original, back);
        assertTrue(Double.isNaN(back.summaries().get(0).relativeStepTime()));
        assertTrue(Double.isNaN(back.runs().get(0).test().get("matthews")));
        assertEquals(Double.POSITIVE_INFINITY, back.runs().get(0).test().get("ratio"));
        String text = Files.readString(file);
        assertTrue(text.contains("\"relativeStepTime\": \"NaN\""), "NaN written as a string");
        assertTrue(text.contains("\"neg\": \"-Infinity\""));
        assertTrue(text.contains("\"description\": null"), "nulls are written, not left out");
        assertTrue(text.contains("\"schemaVersion\": 1"));
        // the fixture's failed run has null parameters and timing
        assertEquals(null, back.runs().get(9).timing());
        // hyperparameter maps: integral numbers come back as Long, others as Double, booleans and strings as such
        assertEquals(8L, back.runs().get(0).provenance().methodParams().get("r"));
        assertEquals(16.5, back.runs().get(0).provenance().methodParams().get("alpha"));
        assertEquals(true, back.runs().get(0).provenance().training().get("shuffle"));
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("sub/results.json");
        ResultsJson.write(ReportFixtures.comparison(), file);
        ResultsJson.write(withNonFinite(), file);
        assertEquals(withNonFinite(), ResultsJson.read(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of("results.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void failedWriteKeepsTheOldFileAndRemovesTheTemporary() throws IOException {
        Path file = dir.resolve("results.json");
        ResultsJson.write(ReportFixtures.comparison(), file);
        String before = Files.readString(file);
        // a directory where the target should be renamed to makes the rename fail
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("results.json/child"));
        assertThrows(IOException.class, () -> ResultsJson.write(ReportFixtures.comparison(), blocked.resolve("results.json")));
        try (Stream<Path> files = Files.list(blocked)) {
            assertEquals(List.of("results.json"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(before, Files.readString(file));
    }

    @Test
    void unsupportedSchemaVersionIsRejectedNamingTheFile() throws IOException {
        Path file = dir.resolve("results.json");
        Files.writeString(file, ResultsJson.toJson(ReportFixtures.comparison()).replace("\"schemaVersion\": 1", "\"schemaVersion\": 7"));
        ResultsFormatException e = assertThrows(ResultsFormatException.class, () -> ResultsJson.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("schemaVersion 7"), e.getMessage());
    }

    @Test
    void badValuesAreRejectedWithTheirPath() {
        String json = ResultsJson.toJson(ReportFixtures.comparison());
        ResultsFormatException e = assertThrows(ResultsFormatException.class,
                () -> ResultsJson.parse(new StringReader(json.replaceFirst("\"bestEpoch\": 3", "\"bestEpoch\": \"three\"")), "r.json"));
        assertTrue(e.getMessage().startsWith("r.json: ") && e.getMessage().contains("bestEpoch"), e.getMessage());

        e = assertThrows(ResultsFormatException.class,
                () -> ResultsJson.parse(new StringReader(json.replaceFirst("\"wallSeconds\": 61.0", "\"wallSeconds\": \"fast\"")), "r.json"));
        assertTrue(e.getMessage().contains("wallSeconds") && e.getMessage().contains("\"fast\""), e.getMessage());

        e = assertThrows(ResultsFormatException.class,
                () -> ResultsJson.parse(new StringReader(json.replaceFirst("\"status\": \"finished\"", "\"status\": \"done\"")), "r.json"));
        assertTrue(e.getMessage().contains("$.runs[0].status"), e.getMessage());

        e = assertThrows(ResultsFormatException.class,
                () -> ResultsJson.parse(new StringReader(json.replaceFirst("\"name\": \"fixture\"", "\"name\": null")), "r.json"));
        assertTrue(e.getMessage().contains("$.name"), e.getMessage());

        String noStat = json.replaceFirst("\"wallSeconds\": \\{[^}]*\\}", "\"wallSeconds\": null");
        e = assertThrows(ResultsFormatException.class, () -> ResultsJson.parse(new StringReader(noStat), "r.json"));
        assertTrue(e.getMessage().contains("$.summaries[0].wallSeconds"), e.getMessage());

        e = assertThrows(ResultsFormatException.class, () -> ResultsJson.parse(new StringReader(json.substring(0, 300)), "r.json"));
        assertTrue(e.getMessage().startsWith("r.json: not a valid results file"), e.getMessage());

        e = assertThrows(ResultsFormatException.class, () -> ResultsJson.parse(new StringReader(""), "r.json"));
        assertTrue(e.getMessage().contains("r.json"), e.getMessage());

        e = assertThrows(ResultsFormatException.class, () -> ResultsJson.parse(new StringReader(json + "{}"), "r.json"));
        assertTrue(e.getMessage().contains("r.json"), e.getMessage());
    }

    @Test
    void fileIsUtf8() throws IOException {
        ComparisonResults c = ReportFixtures.comparison();
        ComparisonResults named = new ComparisonResults(c.schemaVersion(), "vergleich-ü-→", c.description(), c.config(), c.referenceStrategy(),
                c.startedAt(), c.finishedAt(), c.environment(), c.runs(), c.summaries());
        Path file = dir.resolve("results.json");
        ResultsJson.write(named, file);
        assertTrue(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains("vergleich-ü-→"));
        assertEquals(named, ResultsJson.read(file));
    }
}
