package org.peft4j.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.freeze.FreezeContext;
import org.peft4j.api.freeze.FreezeSchedule;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.training.StepEvent;
import org.peft4j.api.training.TrainingListener;
import org.peft4j.engine.artifacts.ArtifactCompiler;
import org.peft4j.engine.onnx.OnnxModelIO;

/** Freezing half of the trainable matrices mid-run recompiles the artifacts and continues from the same state. */
class FreezeRecompileTest {

    private static final int FREEZE_STEP = 5;
    private static final Set<String> HALF = Set.of("encoder.layer.0.dense.lora_A", "encoder.layer.0.dense.lora_B");

    @TempDir
    Path dir;

    /** Records, per step, the loss, the trainable count and a copy of every trainable value. */
    static final class Recorder implements TrainingListener {
        final List<Map<String, float[]>> values = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        final List<Long> counts = new ArrayList<>();
        final List<Set<String>> frozen = new ArrayList<>();

        @Override
        public void onStep(StepEvent step) {
            Map<String, float[]> copy = new HashMap<>();
            step.trainable().forEach((k, v) -> copy.put(k, v.values().clone()));
            values.add(copy);
            losses.add(step.loss());
            counts.add(step.trainableParameterCount());
            frozen.add(Set.copyOf(step.frozen()));
        }
    }

    private TrainingResult run(String name, FreezeSchedule schedule, Recorder recorder) throws IOException {
        TrainingHyperparameters hp = new TrainingHyperparameters(3, 16, 2e-2, 2e-2, 0.05, 0.0, 0.0, 11, 0, 0);
        TinyEncoder model = new TinyEncoder(2, 5);
        return Trainer.train(model.spec(hp, dir.resolve(name)).optFreezing(null, schedule).build(), List.of(recorder));
    }

    @Test
    void frozenMatricesLeaveTheGraphAndTrainingContinuesFromTheSameState() throws IOException {
        List<Long> scheduleCalls = new ArrayList<>();
        FreezeSchedule schedule = new FreezeSchedule() {
            @Override
            public Set<String> select(FreezeContext c) {
                scheduleCalls.add(c.step());
                return c.step() == FREEZE_STEP ? HALF : Set.of();
            }

            @Override
            public boolean usesScores() {
                return false;
            }
        };
        Recorder frozenRun = new Recorder();
        Recorder plainRun = new Recorder();
        TrainingResult f = run("freeze", schedule, frozenRun);
        run("plain", null, plainRun);

        assertEquals(HALF, f.frozen());
        long all = 2L * 2 * TinyEncoder.HIDDEN * TinyEncoder.RANK;
        assertEquals(all, frozenRun.counts.get(FREEZE_STEP));
        assertEquals(all / 2, frozenRun.counts.get(FREEZE_STEP + 1));
        assertEquals(HALF, frozenRun.frozen.get(FREEZE_STEP + 1));
        assertFalse(frozenRun.values.get(FREEZE_STEP + 1).keySet().stream().anyMatch(HALF::contains));
        assertEquals(2, f.measurements().compilations());
        assertEquals(2, f.artifactDirectories().size());

        // the frozen matrices took the freezing step's update once more, then never changed
        for (String p : HALF) {
            assertArrayEquals(plainRun.values.get(FREEZE_STEP + 1).get(p), f.finalParameters().get(p), p);
        }
        // identical up to the freezing step, and the step after it sees the same parameters
        for (int s = 0; s <= FREEZE_STEP; s++) {
            assertEquals(plainRun.losses.get(s), frozenRun.losses.get(s), 0.0, "loss at step " + s);
        }
        assertEquals(plainRun.losses.get(FREEZE_STEP + 1), frozenRun.losses.get(FREEZE_STEP + 1), 1e-6, "loss after recompiling");
        // parameters and AdamW moments of the others carried over: their next update is the same
        for (Map.Entry<String, float[]> e : frozenRun.values.get(FREEZE_STEP + 2).entrySet()) {
            float[] expected = plainRun.values.get(FREEZE_STEP + 2).get(e.getKey());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], e.getValue()[i], 1e-6, e.getKey() + "[" + i + "]");
            }
        }

        // the recompiled training model has no gradient nodes or outputs for the frozen matrices
        Path initial = f.artifactDirectories().get(0);
        Path recompiled = f.artifactDirectories().get(1);
        assertTrue(com.google.gson.JsonParser.parseString(Files.readString(recompiled.resolve(ArtifactCompiler.MANIFEST)))
                .getAsJsonObject().getAsJsonArray("frozen").size() == 2, "the manifest lists the frozen tensors");
        Graph before = new OnnxModelIO().read(initial.resolve(ArtifactCompiler.TRAINING_MODEL));
        Graph after = new OnnxModelIO().read(recompiled.resolve(ArtifactCompiler.TRAINING_MODEL));
        for (String p : HALF) {
            assertTrue(before.isOutput(p + "_grad"), p);
            assertFalse(after.isOutput(p + "_grad"), p);
            assertFalse(after.isInput(p), p + " is no longer an input");
            assertNotNull(after.initializer(p), p + " is a constant");
            assertFalse(after.nodes().stream().flatMap(n -> n.outputs().stream()).anyMatch(o -> o.contains(p + "_grad")));
        }
        long matMulsBefore = before.nodes().stream().map(Node::opType).filter("MatMul"::equals).count();
        long matMulsAfter = after.nodes().stream().map(Node::opType).filter("MatMul"::equals).count();
        assertTrue(matMulsAfter < matMulsBefore, matMulsBefore + " -> " + matMulsAfter + " MatMuls");
        assertTrue(f.flops()[FREEZE_STEP + 1] < f.flops()[FREEZE_STEP], "fewer FLOPs after freezing");
        // the schedule is asked only while candidates remain, once per step
        assertEquals(f.steps(), scheduleCalls.size());
    }
}
