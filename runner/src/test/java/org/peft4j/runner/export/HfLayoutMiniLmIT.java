package org.peft4j.runner.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.engine.safetensors.SafeTensor;
import org.peft4j.engine.safetensors.SafeTensors;
import org.peft4j.engine.safetensors.SafeTensorsFile;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.compare.TrainedRun;
import org.peft4j.runner.results.RunResult;
import org.peft4j.zoo.heads.HeadParameter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.peft4j.runner.cli.StagedPlugins;

/**
 * LoRA with rank 8 on {@code query} and {@code value} of all-MiniLM-L6-v2, from a synthetic trained
 * state (no training): the exported files carry exactly the Hugging Face PEFT tensor names and
 * shapes written out by hand below, the config names the base model, and the merged ONNX model of
 * the real encoder reproduces the unmerged graph's logits.
 */
@ExtendWith(StagedPlugins.class)
class HfLayoutMiniLmIT {

    @TempDir
    static Path temp;
    static Peft4jRuntime runtime;
    static ExtensionLookup lookup;
    static TrainedState state;
    static Map<String, long[]> headShapes = new LinkedHashMap<>();

    @BeforeAll
    static void synthesize() throws IOException {
        runtime = Peft4jRuntime.start(List.of(), null);
        lookup = ExtensionLookup.of(runtime, temp.resolve("cache"));
        Map<String, Object> loraParams = new LinkedHashMap<>();
        loraParams.put("r", 8);
        loraParams.put("alpha", 16.0);
        loraParams.put("targets", List.of("query", "value"));
        RunResult.Provenance provenance = new RunResult.Provenance("lora", "lora", loraParams, null, null, Map.of(), null, null, Map.of(),
                "minilm-l6", Map.of(), Map.of(), "cpu");
        // install once to learn the layout, then describe it as a finished run would
        var model = lookup.model("minilm-l6", Map.of());
        var graph = model.graph();
        var method = lookup.method("lora", loraParams);
        var installed = org.peft4j.engine.adapters.AdapterInstaller.install(graph, model.linearLayers(graph), method.extension(), method.params(), 3);
        var head = new org.peft4j.zoo.heads.HeadSpec(org.peft4j.api.data.Dataset.TaskType.CLASSIFICATION, org.peft4j.zoo.heads.Pooling.CLS, 0.1, 3)
                .build(graph, model.outputName(), "attention_mask", model.hiddenSize(), 2, org.peft4j.zoo.heads.DropoutFactory.IDENTITY);
        TrainedRun.Description d = new TrainedRun.Description("synthetic", provenance, 3, "classification", List.of("neg", "pos"), 32, "cls", 0.1,
                installed.targets().stream().map(LinearLayer::module).toList(), installed.parameters(), head.parameterNames());
        Random random = new Random(11);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (AdapterParameter p : installed.parameters()) {
            values.put(p.name(), gaussian(random, (int) p.elementCount(), 0.05));
        }
        for (HeadParameter h : head.parameters()) {
            values.put(h.name(), gaussian(random, (int) h.elementCount(), 0.05));
            headShapes.put(h.name(), h.shape());
        }
        state = new TrainedState(temp, d, values);
    }

    @AfterAll
    static void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static float[] gaussian(Random random, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return v;
    }

    @Test
    void loraFilesMatchTheHuggingFacePeftLayout() throws IOException {
        Path dir = temp.resolve("adapter");
        HfAdapterFormat.write(state, "sentence-transformers/all-MiniLM-L6-v2", headShapes, HfAdapterFormat.DEFAULT_PREFIX, List.of(), dir);

        // Written by hand from PEFT's state-dict naming for BertForSequenceClassification + LoRA(r=8, query/value).
        Map<String, long[]> expected = new TreeMap<>();
        for (int layer = 0; layer < 6; layer++) {
            for (String m : List.of("query", "value")) {
                String base = "base_model.model.bert.encoder.layer." + layer + ".attention.self." + m;
                expected.put(base + ".lora_A.weight", new long[] {8, 384});
                expected.put(base + ".lora_B.weight", new long[] {384, 8});
            }
        }
        expected.put("base_model.model.bert.pooler.dense.weight", new long[] {384, 384});
        expected.put("base_model.model.bert.pooler.dense.bias", new long[] {384});
        expected.put("base_model.model.classifier.weight", new long[] {2, 384});
        expected.put("base_model.model.classifier.bias", new long[] {2});

        SafeTensorsFile file = SafeTensors.read(dir.resolve(HfAdapterFormat.WEIGHTS));
        assertEquals(expected.keySet(), new TreeMap<>(file.tensors()).keySet());
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            SafeTensor t = file.tensors().get(e.getKey());
            assertArrayEquals(e.getValue(), t.shape(), e.getKey());
        }
        assertEquals("pt", file.metadata().get("format"));
        String q0 = "encoder.layer.0.attention.self.query";
        float[] a = state.values().get(q0 + ".lora_A");
        float[] hfA = file.tensors().get("base_model.model.bert." + q0 + ".lora_A.weight").floats();
        assertEquals(a[1 * 8 + 3], hfA[3 * 384 + 1], 0f, "HF lora_A[r][in] = peft4j lora_A[in][r]");

        JsonObject c = JsonParser.parseString(Files.readString(dir.resolve(HfAdapterFormat.CONFIG))).getAsJsonObject();
        assertEquals("LORA", c.get("peft_type").getAsString());
        assertEquals("sentence-transformers/all-MiniLM-L6-v2", c.get("base_model_name_or_path").getAsString());
        assertEquals(8, c.get("r").getAsInt());
        assertEquals(16, c.get("lora_alpha").getAsInt());
        assertEquals("SEQ_CLS", c.get("task_type").getAsString());
        List<String> targets = new ArrayList<>();
        c.get("target_modules").getAsJsonArray().forEach(e -> targets.add(e.getAsString()));
        assertEquals(12, targets.size());
        assertTrue(targets.stream().allMatch(t -> t.matches("bert\\.encoder\\.layer\\.[0-5]\\.attention\\.self\\.(query|value)")), targets.toString());

        TrainedState back = HfAdapterFormat.read(dir);
        for (String name : state.values().keySet()) {
            assertArrayEquals(state.values().get(name), back.values().get(name), 0f, name);
        }
    }

    @Test
    void mergedMiniLmModelMatchesTheUnmergedGraph() throws IOException {
        Path dir = temp.resolve("onnx");
        RunGraphs.Rebuilt r = RunGraphs.rebuild(state.description(), lookup);
        MergedModelExporter.export(state, r, dir);
        List<Predictor.Text> texts = List.of(new Predictor.Text("a quietly moving film", null), new Predictor.Text("dull and far too long", null),
                new Predictor.Text("the cast is wonderful", "but the script is not"));
        try (Predictor unmerged = Predictor.adapted(state, lookup); Predictor merged = Predictor.merged(dir, null)) {
            float[] expected = unmerged.logits(texts, 3);
            float[] actual = merged.logits(texts, 2);
            assertArrayEquals(expected, actual, 1e-4f);
        }
        assertTrue(Files.exists(dir.resolve(MergedModelExporter.TOKENIZER)), "MiniLM's tokenizer.json ships with the merged model");
    }
}
