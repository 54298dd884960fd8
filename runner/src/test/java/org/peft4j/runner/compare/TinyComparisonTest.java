package org.peft4j.runner.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.cli.Peft4jCli;
import org.peft4j.runner.plugins.PluginJarBuilder;
import org.peft4j.runner.report.ResultsJson;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.RunResult;
import org.junit.jupiter.api.extension.ExtendWith;
import org.peft4j.runner.cli.StagedPlugins;

/**
 * A whole comparison through the command line on the generated tiny encoder: LoRA next to a
 * third-party method that throws while it rewrites the graph. The failure is recorded, the other
 * run finishes, and every report names both.
 */
@ExtendWith(StagedPlugins.class)
class TinyComparisonTest {

    @TempDir
    static Path temp;


    static Path writeData(Path dir) throws IOException {
        String[] good = {"good", "great", "fine", "lovely", "nice"};
        String[] bad = {"bad", "awful", "poor", "ugly", "sad"};
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 96; i++) {
            boolean positive = i % 2 == 0;
            String word = (positive ? good : bad)[random.nextInt(5)];
            csv.append("the film was ").append(word).append(" and ").append(word).append(',').append(positive ? "pos" : "neg").append('\n');
        }
        Path file = dir.resolve("reviews.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void aFailingStrategyIsRecordedAndTheOtherRunFinishes() throws IOException {
        Path data = writeData(temp);
        Path plugins = temp.resolve("third-party");
        new PluginJarBuilder().plugin("explosive", "1.0.0", ">=0.1.0")
                .source("org.example.explosive.ExplosiveMethod", PluginJarBuilder.methodSource("org.example.explosive", "ExplosiveMethod",
                        "explosive", "").replace("public List<LinearLayer> selectTargets(List<LinearLayer> layers) { return List.of(); }",
                                "public List<LinearLayer> selectTargets(List<LinearLayer> layers) { throw new IllegalStateException(\"exploded on purpose\"); }"))
                .build(plugins.resolve("explosive.jar"));
        Path config = temp.resolve("tiny.yaml");
        Files.writeString(config, """
                name: tiny
                output-dir: out
                model:
                  id: tiny-bert
                datasets:
                  - id: csv
                    train: %s
                seeds: [3]
                training:
                  epochs: 2
                  batch-size: 8
                  max-length: 12
                  learning-rate: 1e-2
                  head-learning-rate: 1e-2
                report:
                  reference: lora
                  markdown: docs/tiny-results.md
                strategies:
                  - name: lora
                    method: lora
                    r: 4
                  - name: explosive
                    method: explosive
                """.formatted(data.toString().replace('\\', '/')));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Peft4jCli.execute(new String[] {"compare", "--no-progress", "--plugins-dir", plugins.toString(), config.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(1, code, "a failed run makes the exit code 1\n" + out + err);
        assertTrue(err.toString().contains("1 of 2 run(s) failed"), err.toString());

        Path dir;
        try (Stream<Path> dirs = Files.list(temp.resolve("out"))) {
            dir = dirs.filter(p -> p.getFileName().toString().startsWith("tiny-")).findFirst().orElseThrow();
        }
        assertTrue(Files.exists(dir.resolve("config.resolved.yaml")));
        ComparisonResults results = ResultsJson.read(dir.resolve("results.json"));
        assertEquals(2, results.runs().size());
        RunResult lora = results.runs().get(0);
        RunResult explosive = results.runs().get(1);
        assertEquals("finished", lora.status(), lora.failure());
        assertEquals("failed", explosive.status());
        assertEquals("exploded on purpose", explosive.failure());
        assertEquals("explosive@1.0.0", explosive.provenance().methodOrigin());
        assertEquals("lora@0.1.0", lora.provenance().methodOrigin());
        assertTrue(Files.readString(dir.resolve(explosive.directory()).resolve("log.txt")).contains("IllegalStateException: exploded on purpose"));

        assertNotNull(lora.test().get("accuracy"));
        assertEquals(2, lora.epochs().size());
        assertEquals(lora.timing().steps(), lora.losses().size());
        assertEquals(lora.timing().steps(), lora.timing().stepMillis().size(), "one step time per step");
        assertTrue(lora.timing().stepMillis().stream().allMatch(ms -> ms > 0));
        long stepsPerEpoch = lora.epochs().get(0).step();
        assertTrue(stepsPerEpoch >= 9, "about 77 training examples in batches of 8: " + stepsPerEpoch);
        assertEquals(2 * stepsPerEpoch, lora.timing().steps(), "two epochs");
        assertTrue(lora.parameters().initial() > 0 && lora.parameters().head() > 0);
        Path metrics = dir.resolve(lora.directory()).resolve("metrics.csv");
        List<String> rows = Files.readAllLines(metrics);
        assertEquals(1 + lora.timing().steps(), rows.size(), "one CSV row per step");

        String md = Files.readString(dir.resolve("report.md"));
        String html = Files.readString(dir.resolve("report.html"));
        for (String report : List.of(md, html)) {
            assertTrue(report.contains("lora"), "report names lora");
            assertTrue(report.contains("explosive") && report.contains("exploded on purpose"), "report names the failure");
        }
        assertFalse(html.contains("http://") || html.contains("https://"), "self-contained");
        String copy = Files.readString(temp.resolve("docs/tiny-results.md"));
        assertTrue(copy.contains("exploded on purpose") && copy.contains("](tiny-results-"), "the Markdown copy with its own charts");
        assertTrue(out.toString().contains("failed: explosive/"), out.toString());
        assertTrue(Files.exists(dir.resolve(lora.directory()).resolve("trained/parameters.safetensors")), "the trained state is kept");

        // --resume reuses the directory: the finished run is read back, the failed one runs again
        StringWriter again = new StringWriter();
        int resumed = Peft4jCli.execute(new String[] {"compare", "--no-progress", "--resume", "--plugins-dir", plugins.toString(), config.toString()},
                new PrintWriter(again), new PrintWriter(new StringWriter()));
        assertEquals(1, resumed);
        assertTrue(again.toString().contains("resuming " + dir), again.toString());
        assertTrue(again.toString().contains("lora/csv/seed-3: finished before, skipped"), again.toString());
        assertTrue(again.toString().contains("explosive/csv/seed-3: FAILED: exploded on purpose"), again.toString());
        ComparisonResults after = ResultsJson.read(dir.resolve("results.json"));
        assertEquals(lora.test(), after.runs().get(0).test(), "the finished run's results are kept as they were");
    }

    /** One strategy of a learning-rate sweep, as a YAML list entry. */
    private static String loraAt(String learningRate) {
        return """
                  - name: lora-lr%s
                    method: lora
                    r: 2
                    training:
                      learning-rate: %s
                """.formatted(learningRate, learningRate);
    }

    @Test
    void aSweepWithTheTestSplitOffReportsValidationOnly() throws IOException {
        Path data = writeData(Files.createDirectories(temp.resolve("sweep-data")));
        Path config = temp.resolve("sweep.yaml");
        Files.writeString(config, """
                name: sweep
                output-dir: sweep-out
                model:
                  id: tiny-bert
                datasets:
                  - id: csv
                    train: %s
                seeds: [5]
                training:
                  epochs: 1
                  batch-size: 8
                  max-length: 12
                  head-learning-rate: 1e-2
                  evaluate-test: false
                strategies:
                """.formatted(data.toString().replace('\\', '/')) + loraAt("1e-2") + loraAt("1e-3"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Peft4jCli.execute(new String[] {"compare", "--no-progress", config.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, out + "\n" + err);
        Path dir;
        try (Stream<Path> dirs = Files.list(temp.resolve("sweep-out"))) {
            dir = dirs.filter(p -> p.getFileName().toString().startsWith("sweep-")).findFirst().orElseThrow();
        }
        ComparisonResults results = ResultsJson.read(dir.resolve("results.json"));
        assertEquals(2, results.runs().size());
        for (RunResult run : results.runs()) {
            assertEquals("finished", run.status(), run.failure());
            assertTrue(run.test().isEmpty(), "the test split stays untouched: " + run.test());
            assertNotNull(run.validation().get("accuracy"), "selection happens on validation");
            assertEquals(false, run.provenance().training().get("evaluate-test"));
        }
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("csv (accuracy, val)"), "the main table says its values are validation values:\n" + md);
        assertFalse(md.contains("test accuracy"), "no test column at all:\n" + md);

        // the sweep grows by one learning rate: --resume keeps the two finished runs, runs the new
        // one and rewrites the resolved config; a comparison whose name merely starts the same is
        // not taken for this one
        Path other = Files.createDirectories(temp.resolve("sweep-out/sweep-extra-20991231-235959"));
        Files.writeString(other.resolve("config.resolved.yaml"), "name: sweep-extra\n");
        Files.writeString(config, Files.readString(config) + loraAt("3e-2"));
        StringWriter again = new StringWriter();
        int resumed = Peft4jCli.execute(new String[] {"compare", "--no-progress", "--resume", config.toString()}, new PrintWriter(again),
                new PrintWriter(new StringWriter()));
        assertEquals(0, resumed, again.toString());
        assertTrue(again.toString().contains("resuming " + dir), again.toString());
        assertTrue(again.toString().contains("lora-lr1e-3/csv/seed-5: finished before, skipped"), again.toString());
        assertTrue(again.toString().contains("config.resolved.yaml rewritten"), again.toString());
        ComparisonResults grown = ResultsJson.read(dir.resolve("results.json"));
        assertEquals(3, grown.runs().size());
        assertEquals(results.startedAt(), grown.startedAt(), "a resumed comparison keeps its first start");
        assertTrue(Files.readString(dir.resolve("config.resolved.yaml")).contains("lora-lr3e-2"));
        assertFalse(Files.readString(dir.resolve("config.resolved.previous.yaml")).contains("lora-lr3e-2"));
    }
}
