package org.peft4j.engine.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.engine.optim.AdamWSettings;
import org.peft4j.engine.optim.ParameterGroup;
import org.peft4j.engine.ort.ArtifactSession;
import org.peft4j.engine.ort.ExecutionSettings;
import org.peft4j.engine.ort.OrtRuntime;
import org.peft4j.engine.ort.SharedWeights;
import org.peft4j.engine.safetensors.SafeTensors;
import org.peft4j.engine.train.TinyEncoder;

class ArtifactCompilerTest {

    private static final int B = 4;
    private static final int T = 6;

    @TempDir
    Path dir;

    private static ArtifactSpec spec(TinyEncoder m) {
        List<ManagedParameter> ps = new java.util.ArrayList<>();
        for (AdapterParameter p : m.adapterParameters) {
            ps.add(new ManagedParameter(p.name(), p.shape(), 0, false, true, true));
        }
        ps.add(new ManagedParameter("classifier.weight", new long[] {TinyEncoder.HIDDEN, 2}, 1, true, true, false));
        ps.add(new ManagedParameter("classifier.bias", new long[] {2}, 1, true, true, false));
        return new ArtifactSpec(m.graph, m.logits, TaskType.CLASSIFICATION, 2,
                Map.of("input_ids", new long[] {B, T}, "attention_mask", new long[] {B, T}), ps,
                List.of(new ParameterGroup("adapter", 1e-2, 0.1), new ParameterGroup("head", 4e-2, 0.1)), AdamWSettings.defaults(1.0));
    }

    private static Set<String> names(Map<String, ?> m) {
        return new HashSet<>(m.keySet());
    }

    @Test
    void writesTheDocumentedFilesInputsAndOutputs() throws Exception {
        TinyEncoder m = new TinyEncoder(2, 1);
        ArtifactSpec spec = spec(m);
        ArtifactCompiler compiler = new ArtifactCompiler(spec, dir, 1024);
        Set<String> all = new HashSet<>();
        spec.parameters().forEach(p -> all.add(p.name()));
        CompiledArtifacts a = compiler.compile(all, Map.of());
        for (String f : List.of(ArtifactCompiler.TRAINING_MODEL, ArtifactCompiler.EVAL_MODEL, ArtifactCompiler.OPTIMIZER_MODEL,
                ArtifactCompiler.CHECKPOINT, ArtifactCompiler.MANIFEST, ArtifactCompiler.FROZEN_WEIGHTS)) {
            assertTrue(Files.isRegularFile(a.directory().resolve(f)), f);
        }
        assertTrue(a.sharedTraining().containsAll(List.of("embeddings.word", "encoder.layer.0.dense.weight")), a.sharedTraining().toString());
        assertEquals(a.sharedTraining().stream().sorted().toList(), a.sharedEval().stream().sorted().toList());
        assertEquals(all, SafeTensors.read(a.directory().resolve(ArtifactCompiler.CHECKPOINT)).tensors().keySet());

        // a plain session (as a viewer or another tool would open it) reads the external data from the file
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        Set<String> gradOutputs = new HashSet<>();
        all.forEach(p -> gradOutputs.add(p + "_grad"));
        try (OrtSession s = OrtRuntime.environment().createSession(a.trainingModel().toString(), opts)) {
            Set<String> expectedInputs = new HashSet<>(all);
            expectedInputs.addAll(List.of("input_ids", "attention_mask", "labels", "example_weight"));
            assertEquals(expectedInputs, names(s.getInputInfo()));
            Set<String> expectedOutputs = new HashSet<>(gradOutputs);
            expectedOutputs.addAll(List.of("loss", "logits"));
            assertEquals(expectedOutputs, names(s.getOutputInfo()));
        }
        try (OrtSession s = OrtRuntime.environment().createSession(a.evalModel().toString(), opts)) {
            Set<String> expectedInputs = new HashSet<>(all);
            expectedInputs.addAll(List.of("input_ids", "attention_mask"));
            assertEquals(expectedInputs, names(s.getInputInfo()));
            assertEquals(Set.of("logits"), names(s.getOutputInfo()));
        }
        try (OrtSession s = OrtRuntime.environment().createSession(a.optimizerModel().toString(), opts)) {
            assertTrue(s.getInputInfo().keySet().containsAll(List.of("learning_rate", "step", "classifier.bias_grad",
                    "classifier.bias.exp_avg", "classifier.bias.exp_avg_sq")));
            assertTrue(s.getOutputInfo().containsKey("classifier.bias.updated"));
        }
        assertTrue(a.trainingFlops() > 1.5 * a.evalFlops() && a.optimizerFlops() > 0, a.trainingFlops() + " vs eval " + a.evalFlops());
    }

    @Test
    void constantsThatNeverTrainAreSharedLikeBaseWeights() throws Exception {
        TinyEncoder m = new TinyEncoder(1, 1);
        ArtifactSpec all = spec(m);
        List<ManagedParameter> ps = new java.util.ArrayList<>();
        for (ManagedParameter p : all.parameters()) {
            boolean constant = p.name().equals("encoder.layer.0.dense.lora_A");
            ps.add(new ManagedParameter(p.name(), p.shape(), p.group(), p.head(), !constant, !constant && p.freezable()));
        }
        ArtifactSpec spec = new ArtifactSpec(all.model(), all.logits(), all.task(), all.numLabels(), all.batchShapes(), ps, all.groups(),
                all.adamW());
        ArtifactCompiler compiler = new ArtifactCompiler(spec, dir, 256);
        CompiledArtifacts a = compiler.compile(Set.of("encoder.layer.0.dense.lora_B", "classifier.weight", "classifier.bias"), Map.of());
        assertTrue(a.sharedTraining().contains("encoder.layer.0.dense.lora_A"), a.sharedTraining().toString());
        assertTrue(a.sharedEval().contains("encoder.layer.0.dense.lora_A"), a.sharedEval().toString());
        assertTrue(a.frozen().isEmpty(), "a constant is not a frozen trainable");
        assertThrows(IllegalArgumentException.class, () -> compiler.compile(Set.of("encoder.layer.0.dense.lora_A"), Map.of()));
    }

    @Test
    void cachesByTrainableSetInMemoryAndOnDisk() throws Exception {
        TinyEncoder m = new TinyEncoder(1, 1);
        ArtifactSpec spec = spec(m);
        ArtifactCompiler compiler = new ArtifactCompiler(spec, dir);
        Set<String> set = Set.of("encoder.layer.0.dense.lora_A", "encoder.layer.0.dense.lora_B", "classifier.weight", "classifier.bias");
        CompiledArtifacts first = compiler.compile(set, Map.of());
        assertSame(first, compiler.compile(new HashSet<>(set), Map.of()));
        long written = Files.getLastModifiedTime(first.trainingModel()).toMillis();
        CompiledArtifacts again = new ArtifactCompiler(spec(new TinyEncoder(1, 1)), dir).compile(set, Map.of());
        assertEquals(first.directory(), again.directory());
        assertEquals(first.trainableNames(), again.trainableNames());
        assertEquals(first.trainingFlops(), again.trainingFlops());
        assertEquals(written, Files.getLastModifiedTime(again.trainingModel()).toMillis());

        Set<String> smaller = Set.of("encoder.layer.0.dense.lora_B", "classifier.weight", "classifier.bias");
        float[] frozenA = new float[TinyEncoder.HIDDEN * TinyEncoder.RANK];
        frozenA[3] = 0.5f;
        CompiledArtifacts reduced = compiler.compile(smaller, Map.of("encoder.layer.0.dense.lora_A", frozenA));
        assertFalse(reduced.directory().equals(first.directory()));
        assertEquals(Set.of("encoder.layer.0.dense.lora_A"), reduced.frozen());
        frozenA[3] = 0.25f;
        assertFalse(reduced.directory().equals(compiler.compile(smaller, Map.of("encoder.layer.0.dense.lora_A", frozenA)).directory()),
                "baked values are part of the key");
        assertThrows(IllegalArgumentException.class, () -> compiler.compile(Set.of("embeddings.word"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> compiler.compile(Set.of(), Map.of()));
    }

    @Test
    void sessionsTakeTheFrozenWeightsFromSharedTensorsAndPaddingIsMaskedOut() throws Exception {
        TinyEncoder m = new TinyEncoder(1, 4);
        ArtifactSpec spec = spec(m);
        ArtifactCompiler compiler = new ArtifactCompiler(spec, dir, 1024);
        Set<String> all = new HashSet<>();
        spec.parameters().forEach(p -> all.add(p.name()));
        CompiledArtifacts a = compiler.compile(all, Map.of());
        Files.delete(a.directory().resolve(ArtifactCompiler.FROZEN_WEIGHTS));
        assertThrows(OrtException.class, () -> OrtRuntime.environment().createSession(a.trainingModel().toString(),
                new OrtSession.SessionOptions()), "without the shared tensors the model needs its data file");
        Map<String, float[]> values = new LinkedHashMap<>();
        spec.parameters().forEach(p -> values.put(p.name(), m.graph.initializer(p.name()).floats()));
        values.put("encoder.layer.0.dense.lora_B", filled(TinyEncoder.RANK * TinyEncoder.HIDDEN, 0.05f));
        var data = TinyEncoder.task(4, T, 3);
        try (SharedWeights shared = new SharedWeights(compiler.sharedWeights());
                ArtifactSession s = new ArtifactSession(a, ExecutionSettings.defaults(), shared, 2, values, Map.of())) {
            // examples 0,1 real, 2,3 padding copies with weight 0
            float padded = run(s, data, new int[] {0, 1, 2, 3}, new float[] {1, 1, 0, 0});
            float[] g1 = gradient(s, 0);
            float same = run(s, data, new int[] {0, 1, 0, 1}, new float[] {1, 1, 1, 1});
            float[] g2 = gradient(s, 0);
            assertEquals(same, padded, 1e-6f);
            for (int i = 0; i < g1.length; i++) {
                assertEquals(g2[i], g1[i], 1e-6f, "gradient " + i);
            }
            float single = run(s, data, new int[] {0, 3, 3, 3}, new float[] {1, 0, 0, 0});
            assertTrue(Math.abs(single - padded) > 1e-4, "weights select the examples");
        }
    }

    private static float run(ArtifactSession s, org.peft4j.engine.train.EncodedDataset d, int[] rows, float[] w) throws OrtException {
        LongBuffer ids = s.longInput("input_ids");
        LongBuffer mask = s.longInput("attention_mask");
        LongBuffer labels = s.longInput("labels");
        FloatBuffer weight = s.floatInput("example_weight");
        long[][] src = tokens(d);
        for (int i = 0; i < rows.length; i++) {
            for (int t = 0; t < T; t++) {
                ids.put(i * T + t, src[0][rows[i] * T + t]);
                mask.put(i * T + t, src[1][rows[i] * T + t]);
            }
            labels.put(i, d.label(rows[i]));
            weight.put(i, w[i]);
        }
        return s.trainStep();
    }

    private static long[][] tokens(org.peft4j.engine.train.EncodedDataset d) {
        return org.peft4j.engine.train.TestAccess.tokens(d);
    }

    private static float[] gradient(ArtifactSession s, int index) {
        float[] g = new float[s.artifacts().trainable().get(index).elementCount()];
        s.gradient(index, g);
        return g;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
