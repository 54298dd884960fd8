package org.peft4j.runner.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.engine.safetensors.SafeTensor;
import org.peft4j.engine.safetensors.SafeTensors;
import org.peft4j.engine.safetensors.SafeTensorsException;
import org.peft4j.engine.safetensors.SafeTensorsFile;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.cli.Peft4jCli;
import org.peft4j.runner.report.ResultsJson;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.RunResult;
import org.junit.jupiter.api.extension.ExtendWith;
import org.peft4j.runner.cli.StagedPlugins;

/**
 * Every bundled method (LoRA, ELoRA, AFLoRA, head-only) trained for two epochs on the generated
 * tiny encoder through {@code peft4j compare}, then exported both ways and loaded back: the adapter
 * files give bit-identical tensors and predictions, the merged ONNX model gives the unmerged
 * evaluation graph's logits to 1e-4 with no adapter left in it, and the merged LoRA model has the
 * test accuracy the run reported.
 */
@ExtendWith(StagedPlugins.class)
class ExportRoundTripTest {

    static final String[] GOOD = {"good", "great", "fine", "lovely", "nice"};
    static final String[] BAD = {"bad", "awful", "poor", "ugly", "sad"};

    @TempDir
    static Path temp;
    static Path comparison;
    static ComparisonResults results;
    static Peft4jRuntime runtime;
    static ExtensionLookup lookup;
    static List<Predictor.Text> testTexts = new ArrayList<>();
    static List<String> testLabels = new ArrayList<>();

    @BeforeAll
    static void trainEveryMethod() throws IOException {
        Path train = write(temp.resolve("train.csv"), 96, 7, false);
        Path test = write(temp.resolve("test.csv"), 40, 11, true);
        Path config = temp.resolve("export.yaml");
        Files.writeString(config, """
                name: export
                output-dir: out
                model:
                  id: tiny-bert
                datasets:
                  - id: csv
                    train: %s
                    test: %s
                seeds: [5]
                training:
                  epochs: 2
                  batch-size: 8
                  max-length: 12
                  learning-rate: 1e-2
                  head-learning-rate: 1e-2
                head:
                  dropout: 0.1
                strategies:
                  - name: lora
                    method: lora
                    r: 4
                    alpha: 8
                    dropout: 0.1
                  - name: elora
                    method: elora
                    r: 16
                  - name: aflora
                    method: aflora
                    r: 2
                  - name: head-only
                    method: head-only
                """.formatted(path(train), path(test)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Peft4jCli.execute(new String[] {"compare", "--no-progress", config.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, out + "\n" + err);
        try (Stream<Path> dirs = Files.list(temp.resolve("out"))) {
            comparison = dirs.filter(p -> p.getFileName().toString().startsWith("export-")).findFirst().orElseThrow();
        }
        results = ResultsJson.read(comparison.resolve("results.json"));
        runtime = Peft4jRuntime.start(List.of(), null);
        lookup = ExtensionLookup.of(runtime, temp.resolve("cache"));
    }

    @AfterAll
    static void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static String path(Path p) {
        return p.toString().replace('\\', '/');
    }

    /** Sentences "the film was W and W" labelled pos/neg by W's list. */
    private static Path write(Path file, int n, long seed, boolean keep) throws IOException {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < n; i++) {
            boolean positive = random.nextBoolean();
            String word = (positive ? GOOD : BAD)[random.nextInt(5)];
            String text = "the film was " + word + " and " + word;
            csv.append(text).append(',').append(positive ? "pos" : "neg").append('\n');
            if (keep) {
                testTexts.add(new Predictor.Text(text, null));
                testLabels.add(positive ? "pos" : "neg");
            }
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    static RunResult run(String strategy) {
        RunResult r = results.runs().stream().filter(x -> x.strategy().equals(strategy)).findFirst().orElseThrow();
        assertEquals("finished", r.status(), r.failure());
        return r;
    }

    static Path runDir(String strategy) {
        return comparison.resolve(run(strategy).directory());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lora", "elora", "aflora", "head-only"})
    void adapterFilesRoundTripWithIdenticalPredictions(String strategy) throws IOException {
        TrainedState state = TrainedState.read(runDir(strategy));
        Path dir = temp.resolve("adapter-" + strategy);
        RunExports.adapter(runDir(strategy), lookup, HfAdapterFormat.DEFAULT_PREFIX, dir);
        TrainedState back = HfAdapterFormat.read(dir);
        assertEquals(state.values().keySet(), back.values().keySet());
        for (String name : state.values().keySet()) {
            assertArrayEquals(state.values().get(name), back.values().get(name), 0f, name + " survives the round trip bit for bit");
        }
        try (Predictor original = Predictor.adapted(state, lookup); Predictor loaded = Predictor.adapted(back, lookup)) {
            float[] logits = original.logits(testTexts, 16);
            assertArrayEquals(logits, loaded.logits(testTexts, 16), 0f, "identical predictions");
            RunGraphs.Rebuilt r = RunGraphs.rebuild(state.description(), lookup);
            float[] runEvaluation = org.peft4j.runner.compare.SplitInference.logits(r.graph(), r.head().logits(), r.numOutputs(), state.values(),
                    original.encode(testTexts), 16);
            assertArrayEquals(runEvaluation, logits, 0f, "the adapted predictor is the run's own test evaluation");
            assertArrayEquals(java.util.Arrays.copyOf(logits, 6), original.logits(testTexts.subList(0, 3), 16), 0f, "a short batch");
        }
        JsonObject config = JsonParser.parseString(Files.readString(dir.resolve(HfAdapterFormat.CONFIG))).getAsJsonObject();
        assertEquals(HfAdapterFormat.peftType(state.description().provenance().method()), config.get("peft_type").getAsString());
        assertEquals("SEQ_CLS", config.get("task_type").getAsString());
        assertEquals("peft4j/tiny-bert", config.get("base_model_name_or_path").getAsString());
        assertTrue(config.get("inference_mode").getAsBoolean());
        SafeTensorsFile weights = SafeTensors.read(dir.resolve(HfAdapterFormat.WEIGHTS));
        assertEquals(state.values().size(), weights.tensors().size());
        assertNotNull(weights.tensors().get("base_model.model.classifier.weight"));
        assertNotNull(weights.tensors().get("base_model.model.bert.pooler.dense.weight"));
    }

    @Test
    void loraConfigHasTheFieldsOfHuggingFaceLoraConfig() throws IOException {
        Path dir = temp.resolve("lora-config");
        TrainedState state = RunExports.adapter(runDir("lora"), lookup, HfAdapterFormat.DEFAULT_PREFIX, dir);
        JsonObject c = JsonParser.parseString(Files.readString(dir.resolve(HfAdapterFormat.CONFIG))).getAsJsonObject();
        assertEquals(4, c.get("r").getAsInt());
        assertEquals(8, c.get("lora_alpha").getAsInt());
        assertEquals(0.1, c.get("lora_dropout").getAsDouble());
        assertFalse(c.get("use_rslora").getAsBoolean());
        assertEquals("none", c.get("bias").getAsString());
        assertFalse(c.get("fan_in_fan_out").getAsBoolean());
        assertTrue(c.get("rank_pattern").getAsJsonObject().isEmpty());
        assertTrue(c.get("alpha_pattern").getAsJsonObject().isEmpty());
        assertEquals(List.of("classifier", "pooler"), c.get("modules_to_save").getAsJsonArray().asList().stream().map(e -> e.getAsString()).toList());
        List<String> targets = c.get("target_modules").getAsJsonArray().asList().stream().map(e -> e.getAsString()).toList();
        assertEquals(state.description().targets().stream().map(t -> "bert." + t).toList(), targets);
        SafeTensorsFile weights = SafeTensors.read(dir.resolve(HfAdapterFormat.WEIGHTS));
        for (AdapterParameter p : state.description().adapterParameters()) {
            long[] s = p.shape();
            SafeTensor t = weights.require("base_model.model.bert." + p.module() + "." + p.role() + ".weight");
            assertArrayEquals(new long[] {s[1], s[0]}, t.shape(), "HF layout is the transpose of peft4j's: " + p.name());
        }
    }

    @Test
    void afloraConfigRecordsWhichProjectionsFrozeWhen() throws IOException {
        Path dir = temp.resolve("aflora-config");
        RunExports.adapter(runDir("aflora"), lookup, HfAdapterFormat.DEFAULT_PREFIX, dir);
        JsonObject c = JsonParser.parseString(Files.readString(dir.resolve(HfAdapterFormat.CONFIG))).getAsJsonObject();
        assertEquals("AFLORA", c.get("peft_type").getAsString());
        var projections = c.get("projections").getAsJsonArray();
        assertFalse(projections.isEmpty());
        Map<String, Long> events = new HashMap<>();
        run("aflora").freezes().forEach(e -> events.putIfAbsent(e.parameter(), e.step()));
        assertFalse(events.isEmpty(), "a two-epoch AFLoRA run freezes its projections after the first epoch");
        int checked = 0;
        for (var e : projections) {
            JsonObject o = e.getAsJsonObject();
            String module = o.get("module").getAsString().substring("bert.".length());
            if (o.get("A_trainable_at_start").getAsBoolean()) {
                assertEquals(events.get(module + ".aflora_A"), o.get("A_frozen_at_step").isJsonNull() ? null : o.get("A_frozen_at_step").getAsLong());
                checked++;
            } else {
                assertEquals(-1, o.get("A_frozen_at_step").getAsLong());
            }
        }
        assertTrue(checked > 0, "some projections started trainable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lora", "elora", "aflora", "head-only"})
    void mergedModelEqualsTheUnmergedEvaluationGraph(String strategy) throws IOException {
        TrainedState state = TrainedState.read(runDir(strategy));
        Path dir = temp.resolve("onnx-" + strategy);
        Graph merged = RunExports.onnx(runDir(strategy), lookup, dir);
        for (Node n : merged.nodes()) {
            assertFalse(n.name().startsWith("AdapterAdd") || n.opType().equals("Dropout"), "no adapter or dropout node: " + n);
        }
        for (String init : merged.initializers().keySet()) {
            assertFalse(init.contains("lora_") || init.contains("vera_") || init.contains("aflora_"), "no adapter tensor: " + init);
        }
        assertEquals(List.of("logits"), merged.outputs().stream().map(v -> v.name()).toList());
        assertTrue(Files.exists(dir.resolve(ModelCard.FILE)));
        float[] reference;
        try (Predictor unmerged = Predictor.adapted(state, lookup)) {
            reference = unmerged.logits(testTexts, 8);
        }
        try (Predictor m = Predictor.merged(dir, lookup)) {
            float[] logits = m.logits(testTexts, 7);
            assertEquals(reference.length, logits.length);
            double maxDiff = 0;
            for (int i = 0; i < logits.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(logits[i] - reference[i]));
            }
            assertTrue(maxDiff <= 1e-4, strategy + ": merged logits differ by " + maxDiff);
            System.out.printf("merged vs unmerged, %s: max |logit difference| %.2e over %d test sentences%n", strategy, maxDiff, testTexts.size());
            assertArrayEquals(java.util.Arrays.copyOf(logits, 2), m.logits(testTexts.subList(0, 1), 1), 1e-5f, "batch size 1 works too");
        }
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.resolve(MergedModelExporter.MODEL)));
        for (OnnxMl.ValueInfoProto in : proto.getGraph().getInputList()) {
            assertEquals("batch", in.getType().getTensorType().getShape().getDim(0).getDimParam(), in.getName() + " has a dynamic batch");
            assertEquals("sequence", in.getType().getTensorType().getShape().getDim(1).getDimParam(), in.getName() + " has a dynamic length");
        }
    }

    @Test
    void mergedLoraModelHasTheReportedTestAccuracy() throws IOException {
        Path dir = temp.resolve("onnx-lora-accuracy");
        RunExports.onnx(runDir("lora"), lookup, dir);
        int correct = 0;
        try (Predictor m = Predictor.merged(dir, lookup)) {
            List<Predictions.Prediction> p = Predictions.of(m.logits(testTexts, 16), m.task(), m.labels());
            for (int i = 0; i < p.size(); i++) {
                correct += p.get(i).label().equals(testLabels.get(i)) ? 1 : 0;
            }
        }
        double accuracy = correct / (double) testTexts.size();
        assertEquals(run("lora").test().get("accuracy"), accuracy, 1e-9, "merged model accuracy on the test split");

        // the sequence dimension is dynamic: the test sentences are 8 tokens, so 10 gives the same logits as 12
        float[] at12;
        try (Predictor m = Predictor.merged(dir, lookup)) {
            assertEquals(12, m.maxLength());
            at12 = m.logits(testTexts, 16);
        }
        ModelCard card = ModelCard.read(dir);
        new ModelCard(card.version(), card.task(), card.labels(), 10, card.tokenizer(), card.model(), card.modelParams(), card.baseModel(),
                card.method(), card.run()).write(dir);
        try (Predictor m = Predictor.merged(dir, lookup)) {
            assertArrayEquals(at12, m.logits(testTexts, 16), 1e-5f);
        }
    }

    @Test
    void predictCommandGivesTheSameLabelsFromModelRunAndAdapter() throws IOException {
        Path model = temp.resolve("predict-model");
        Path adapter = temp.resolve("predict-adapter");
        Path texts = temp.resolve("texts.txt");
        Files.writeString(texts, "the film was great and great\n\nthe film was awful and awful\nthe film was fine and fine\n");
        Result export = cli("export", "onnx", runDir("lora").toString(), "--output", model.toString());
        assertEquals(0, export.code, export.err);
        assertTrue(export.out.contains("verified: max |logit difference| to the unmerged run"), export.out);
        assertEquals(0, cli("export", "adapter", runDir("lora").toString(), "-o", adapter.toString()).code);
        Result fromModel = cli("predict", "--model", model.toString(), "--file", texts.toString(), "--batch-size", "2");
        Result fromRun = cli("predict", "--run", runDir("lora").toString(), "--file", texts.toString());
        Result fromAdapter = cli("predict", "--adapter", adapter.toString(), "--file", texts.toString());
        for (Result r : List.of(fromModel, fromRun, fromAdapter)) {
            assertEquals(0, r.code, r.err);
            List<String> lines = r.out.lines().toList();
            assertEquals(3, lines.size(), "one line per non-blank text: " + r.out);
            for (String line : lines) {
                assertTrue(line.matches("(pos|neg)\\t[01]\\.\\d{4}"), line);
            }
        }
        assertEquals(labels(fromRun), labels(fromModel));
        assertEquals(fromRun.out, fromAdapter.out, "run and exported adapter print the same");
        Result args = cli("predict", "--model", model.toString(), "the film was great and great");
        assertEquals(fromModel.out.lines().findFirst().orElseThrow(), args.out.strip());
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(Files.readAllBytes(texts)));
            Result fromStdin = cli("predict", "--model", model.toString(), "-b", "1");
            assertEquals(fromModel.out, fromStdin.out, "standard input when neither texts nor --file are given");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void badInputsAreClearErrors() throws IOException {
        Result none = cli("predict", "x");
        assertEquals(2, none.code, "one of --model, --run, --adapter is required");
        Result notARun = cli("export", "adapter", temp.toString());
        assertEquals(1, notARun.code);
        assertTrue(notARun.err.contains("no trained run"), notARun.err);

        Path dir = temp.resolve("damaged");
        RunExports.adapter(runDir("lora"), lookup, HfAdapterFormat.DEFAULT_PREFIX, dir);
        Path weights = dir.resolve(HfAdapterFormat.WEIGHTS);
        SafeTensorsFile good = SafeTensors.read(weights);
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        SafeTensorsException truncated = assertThrows(SafeTensorsException.class, () -> HfAdapterFormat.read(dir));
        assertTrue(truncated.getMessage().contains(HfAdapterFormat.WEIGHTS), truncated.getMessage());

        List<SafeTensor> wrong = new ArrayList<>();
        for (SafeTensor t : good.tensors().values()) {
            wrong.add(t.name().endsWith("lora_A.weight") && wrong.stream().noneMatch(w -> w.name().endsWith("lora_A.weight"))
                    ? SafeTensor.ofFloats(t.name(), new long[] {t.shape()[1], t.shape()[0]}, t.floats()) : t);
        }
        SafeTensors.write(weights, wrong, Map.of());
        IOException shape = assertThrows(IOException.class, () -> HfAdapterFormat.read(dir));
        assertTrue(shape.getMessage().contains("lora_A.weight") && shape.getMessage().contains("expected"), shape.getMessage());

        Files.writeString(dir.resolve(HfAdapterFormat.CONFIG), "{\"peft_type\": \"VERA\"}");
        IOException type = assertThrows(IOException.class, () -> HfAdapterFormat.read(dir));
        assertTrue(type.getMessage().contains("peft_type"), type.getMessage());
    }

    @Test
    void corruptedAdapterFilesFailAsIoErrorsOnly() throws IOException {
        Path dir = temp.resolve("fuzz");
        RunExports.adapter(runDir("elora"), lookup, HfAdapterFormat.DEFAULT_PREFIX, dir);
        Path weights = dir.resolve(HfAdapterFormat.WEIGHTS);
        byte[] pristine = Files.readAllBytes(weights);
        long headerLength = java.nio.ByteBuffer.wrap(pristine).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        Random random = new Random(1);
        int failures = 0;
        for (int i = 0; i < 300; i++) {
            byte[] b = pristine.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt((int) Math.min(b.length, 8 + headerLength));
                b[at] = (byte) random.nextInt(256);
            }
            Files.write(weights, b);
            try {
                HfAdapterFormat.read(dir);
            } catch (IOException e) {
                failures++;
                assertNotNull(e.getMessage());
            } catch (RuntimeException e) {
                throw new AssertionError("corruption " + i + " escaped as " + e, e);
            }
        }
        assertTrue(failures > 100, "most header corruptions are detected: " + failures);
    }

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Peft4jCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static List<String> labels(Result r) {
        return r.out.lines().map(l -> l.split("\t")[0]).toList();
    }
}
