package org.peft4j.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.training.StepEvent;
import org.peft4j.api.training.TrainingListener;
import org.peft4j.engine.checkpoint.CheckpointException;
import org.peft4j.engine.checkpoint.CheckpointStore;
import org.peft4j.engine.safetensors.SafeTensorsFile;
import org.peft4j.engine.safetensors.SafeTensors;

/** Interrupted runs resume to bit-identical results. */
class ResumeTest {

    @TempDir
    Path dir;

    private static void assertSameOutcome(Path expected, Path actual) throws IOException {
        SafeTensorsFile a = SafeTensors.read(expected);
        SafeTensorsFile b = SafeTensors.read(actual);
        assertEquals(a.metadata(), b.metadata());
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        for (String k : a.tensors().keySet()) {
            assertEquals(a.tensors().get(k), b.tensors().get(k), "bit-identical " + k);
        }
    }

    @Test
    void crashInsideTheProcessResumesBitIdentically() throws IOException {
        TrainingResult full = ResumeFixture.run(dir.resolve("full"), false, List.of());
        assertEquals(1, full.frozen().size());
        ResumeFixture.writeOutcome(full, dir.resolve("full.safetensors"));

        TrainingListener crash = new TrainingListener() {
            @Override
            public void onStep(StepEvent step) {
                if (step.step() == 17) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> ResumeFixture.run(dir.resolve("crash"), false, List.of(crash)));
        var latest = new CheckpointStore(dir.resolve("crash").resolve("checkpoints"), 2).loadLatest().orElseThrow();
        assertEquals(15, latest.step());
        assertTrue(!latest.values().containsKey(ResumeFixture.CONSTANT) && latest.values().containsKey("classifier.weight"),
                "constants are not checkpointed");
        TrainingResult resumed = ResumeFixture.run(dir.resolve("crash"), true, List.of());
        assertEquals(15, resumed.resumedFromStep());
        ResumeFixture.writeOutcome(resumed, dir.resolve("resumed.safetensors"));
        assertSameOutcome(dir.resolve("full.safetensors"), dir.resolve("resumed.safetensors"));
    }

    @Test
    void damagedCheckpointIsReportedWithTheFileName() throws IOException {
        ResumeFixture.run(dir.resolve("run"), false, List.of());
        CheckpointStore store = new CheckpointStore(dir.resolve("run").resolve("checkpoints"), 2);
        Path latest = store.list().get(store.list().size() - 1);
        Path params = latest.resolve(CheckpointStore.PARAMETERS);
        byte[] b = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(b, b.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> ResumeFixture.run(dir.resolve("run"), true, List.of()));
        assertTrue(e.getMessage().contains(params.toString()), e.getMessage());
    }

    private static Process launch(Path dir, Path outcome, boolean resume, long sleepMillis) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TrainingMain.class.getName(),
                dir.toString(), outcome.toString(), Boolean.toString(resume), Long.toString(sleepMillis));
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static List<String> finish(Process p) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        return lines;
    }

    @Test
    void sigkillMidRunThenResumeGivesBitIdenticalFinalParameters() throws Exception {
        Path reference = dir.resolve("reference.safetensors");
        finish(launch(dir.resolve("uninterrupted"), reference, false, 0));

        Path work = dir.resolve("killed");
        Process victim = launch(work, dir.resolve("never.safetensors"), false, 60);
        List<String> seen = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                seen.add(line);
                if (line.equals("step 13")) {
                    victim.destroyForcibly();
                    break;
                }
            }
        }
        assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, victim.exitValue(), "killed by SIGKILL; output: " + seen);
        assertTrue(Files.notExists(dir.resolve("never.safetensors")));
        long checkpointed = new CheckpointStore(work.resolve("checkpoints"), 2).loadLatest().orElseThrow().step();
        assertEquals(10, checkpointed, "the newest complete checkpoint is mid-epoch at step 10");

        Path resumed = dir.resolve("resumed.safetensors");
        List<String> out = finish(launch(work, resumed, true, 0));
        assertTrue(out.get(out.size() - 1).endsWith("resumed-from 10"), out.toString());
        assertSameOutcome(reference, resumed);
        SafeTensorsFile a = SafeTensors.read(reference);
        assertArrayEquals(a.require("losses").floats(), SafeTensors.read(resumed).require("losses").floats());
    }
}
