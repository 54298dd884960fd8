package org.peft4j.runner.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.report.ResultsJson;
import org.peft4j.runner.results.RunResult;
import org.junit.jupiter.api.extension.ExtendWith;
import org.peft4j.runner.cli.StagedPlugins;

/**
 * A short LoRA run on all-MiniLM-L6-v2 (rank 8 on query and value, one epoch), exported as a merged
 * ONNX model: the exported directory alone (model, its tokenizer.json and labels.json, no peft4j
 * model lookup) predicts the test split with the accuracy the run reported.
 */
@ExtendWith(StagedPlugins.class)
class MiniLmExportIT {

    @TempDir
    static Path temp;
    static final List<Predictor.Text> TEST = new ArrayList<>();
    static final List<String> LABELS = new ArrayList<>();


    private static Path write(Path file, int n, long seed, boolean keep) throws IOException {
        String[] good = {"wonderful", "excellent", "delightful", "brilliant", "charming"};
        String[] bad = {"terrible", "boring", "dreadful", "awful", "tedious"};
        String[] things = {"film", "meal", "book", "hotel", "concert"};
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < n; i++) {
            boolean positive = random.nextBoolean();
            String text = "the " + things[random.nextInt(5)] + " was " + (positive ? good : bad)[random.nextInt(5)];
            csv.append(text).append(',').append(positive ? "pos" : "neg").append('\n');
            if (keep) {
                TEST.add(new Predictor.Text(text, null));
                LABELS.add(positive ? "pos" : "neg");
            }
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void mergedMiniLmLoraModelHasTheReportedTestAccuracy() throws IOException {
        Path train = write(temp.resolve("train.csv"), 64, 1, false);
        Path test = write(temp.resolve("test.csv"), 32, 2, true);
        Path config = temp.resolve("minilm.yaml");
        Files.writeString(config, """
                name: minilm
                output-dir: out
                model:
                  id: minilm-l6
                datasets:
                  - id: csv
                    train: %s
                    test: %s
                seeds: [1]
                training:
                  epochs: 1
                  batch-size: 16
                  max-length: 16
                  learning-rate: 5e-3
                  head-learning-rate: 5e-3
                strategies:
                  - name: lora
                    method: lora
                    r: 8
                    targets: [query, value]
                """.formatted(train.toString().replace('\\', '/'), test.toString().replace('\\', '/')));
        ExportRoundTripTest.Result r = ExportRoundTripTest.cli("compare", "--no-progress", config.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Path comparison;
        try (Stream<Path> dirs = Files.list(temp.resolve("out"))) {
            comparison = dirs.filter(p -> p.getFileName().toString().startsWith("minilm-")).findFirst().orElseThrow();
        }
        RunResult run = ResultsJson.read(comparison.resolve("results.json")).runs().get(0);
        assertEquals("finished", run.status(), run.failure());
        Path onnx = temp.resolve("merged");
        ExportRoundTripTest.Result export = ExportRoundTripTest.cli("export", "onnx", comparison.resolve(run.directory()).toString(), "-o",
                onnx.toString());
        assertEquals(0, export.code(), export.out() + export.err());
        System.out.print(export.out());
        int correct = 0;
        try (Predictor merged = Predictor.merged(onnx, null)) {
            List<Predictions.Prediction> p = Predictions.of(merged.logits(TEST, 16), merged.task(), merged.labels());
            for (int i = 0; i < p.size(); i++) {
                correct += p.get(i).label().equals(LABELS.get(i)) ? 1 : 0;
            }
        }
        double accuracy = correct / (double) TEST.size();
        System.out.printf("MiniLM LoRA run: reported test accuracy %.4f, merged ONNX model %.4f%n", run.test().get("accuracy"), accuracy);
        assertEquals(run.test().get("accuracy"), accuracy, 1e-9);
        assertTrue(Files.exists(onnx.resolve(MergedModelExporter.TOKENIZER)));
    }
}
