package org.peft4j.runner.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.report.ResultsJson;
import org.peft4j.runner.results.RunResult;
import org.junit.jupiter.api.extension.ExtendWith;
import org.peft4j.runner.cli.StagedPlugins;

/**
 * A sentence-pair regression run (ELoRA, mean pooling) exported both ways: the merged model and
 * the adapter files reproduce the run's scores, and {@code predict} prints one score per pair.
 */
@ExtendWith(StagedPlugins.class)
class RegressionPairExportTest {

    @TempDir
    static Path temp;
    static Path run;
    static Peft4jRuntime runtime;
    static ExtensionLookup lookup;

    @BeforeAll
    static void train() throws IOException {
        String[] words = {"good", "great", "fine", "bad", "awful", "poor"};
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("a,b,score\n");
        for (int i = 0; i < 64; i++) {
            String x = words[random.nextInt(6)];
            String y = words[random.nextInt(6)];
            csv.append("it was ").append(x).append(",it was ").append(y).append(',').append(x.equals(y) ? "5.0" : "1.0").append('\n');
        }
        Path data = temp.resolve("pairs.csv");
        Files.writeString(data, csv, StandardCharsets.UTF_8);
        Path config = temp.resolve("regression.yaml");
        Files.writeString(config, """
                name: regression
                output-dir: out
                model:
                  id: tiny-bert
                datasets:
                  - id: csv
                    train: %s
                    text-column: a
                    pair-column: b
                    label-column: score
                    regression: true
                seeds: [2]
                training:
                  epochs: 1
                  batch-size: 8
                  max-length: 10
                  learning-rate: 1e-2
                head:
                  pooling: mean
                strategies:
                  - name: elora
                    method: elora
                    r: 8
                """.formatted(data.toString().replace('\\', '/')));
        ExportRoundTripTest.Result r = ExportRoundTripTest.cli("compare", "--no-progress", config.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Path comparison;
        try (Stream<Path> dirs = Files.list(temp.resolve("out"))) {
            comparison = dirs.filter(p -> p.getFileName().toString().startsWith("regression-")).findFirst().orElseThrow();
        }
        RunResult result = ResultsJson.read(comparison.resolve("results.json")).runs().get(0);
        assertEquals("finished", result.status(), result.failure());
        run = comparison.resolve(result.directory());
        runtime = Peft4jRuntime.start(List.of(), null);
        lookup = ExtensionLookup.of(runtime, temp.resolve("cache"));
    }

    @AfterAll
    static void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void mergedModelAndAdapterReproduceTheRunsScores() throws IOException {
        List<Predictor.Text> pairs = List.of(new Predictor.Text("it was good", "it was good"), new Predictor.Text("it was bad", "it was great"),
                new Predictor.Text("it was fine", "it was poor"));
        Path onnx = temp.resolve("onnx");
        Path adapter = temp.resolve("adapter");
        RunExports.onnx(run, lookup, onnx);
        RunExports.adapter(run, lookup, HfAdapterFormat.DEFAULT_PREFIX, adapter);
        try (Predictor original = Predictor.adapted(TrainedState.read(run), lookup);
                Predictor merged = Predictor.merged(onnx, lookup);
                Predictor loaded = Predictor.adapted(HfAdapterFormat.read(adapter), lookup)) {
            float[] expected = original.logits(pairs, 4);
            assertEquals(3, expected.length, "one score per pair");
            assertArrayEquals(expected, merged.logits(pairs, 2), 1e-4f);
            assertArrayEquals(expected, loaded.logits(pairs, 4), 0f);
            assertEquals(List.of(), merged.labels());
        }
        assertTrue(MergeCheck.maxDifference(TrainedState.read(run), onnx, lookup) <= MergeCheck.TOLERANCE);
        Path file = temp.resolve("pairs.txt");
        Files.writeString(file, "it was good\tit was good\nit was bad\tit was great\n");
        ExportRoundTripTest.Result p = ExportRoundTripTest.cli("predict", "--model", onnx.toString(), "--file", file.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = p.out().lines().toList();
        assertEquals(2, lines.size(), p.out());
        for (String line : lines) {
            assertTrue(line.matches("-?\\d+\\.\\d{6}"), "a regression score: " + line);
        }
    }
}
