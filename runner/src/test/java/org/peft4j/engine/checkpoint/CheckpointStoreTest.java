package org.peft4j.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.training.EvaluationEvent;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    private static TrainingCheckpoint sample(long step) {
        float[] losses = new float[(int) step];
        float[] lrs = new float[(int) step];
        long[] counts = new long[(int) step];
        long[] flops = new long[(int) step];
        for (int i = 0; i < step; i++) {
            losses[i] = 1f / (i + 1);
            lrs[i] = 1e-3f * i;
            counts[i] = 100 - i;
            flops[i] = 1_000_000L + i;
        }
        return new TrainingCheckpoint("fp-1", step, -1234567890123456789L,
                Map.of("a.lora_A", new float[] {1, 2, 3}, "head.w", new float[] {Float.MIN_VALUE, -0f}),
                Map.of("a.lora_A", new float[][] {{0.1f, 0.2f, 0.3f}, {1e-8f, 2e-8f, 3e-8f}}), Set.of("b.lora_A"),
                Map.of("b.lora_A.ema", new float[] {5, 6}), losses, lrs, counts, flops,
                List.of(new EvaluationEvent(0, step, "validation", Map.of("accuracy", 0.75, "loss", Double.NaN))), 0,
                Map.of("a.lora_A", new float[] {9, 9, 9}));
    }

    @Test
    void roundTripsExactly() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2);
        store.save(sample(3));
        TrainingCheckpoint c = store.loadLatest().orElseThrow();
        assertEquals(3, c.step());
        assertEquals(-1234567890123456789L, c.epochRngState());
        assertArrayEquals(new float[] {1, 2, 3}, c.values().get("a.lora_A"));
        assertArrayEquals(new float[] {Float.MIN_VALUE, -0f}, c.values().get("head.w"));
        assertArrayEquals(new float[] {1e-8f, 2e-8f, 3e-8f}, c.moments().get("a.lora_A")[1]);
        assertEquals(Set.of("b.lora_A"), c.frozen());
        assertArrayEquals(new float[] {5, 6}, c.scorerState().get("b.lora_A.ema"));
        assertArrayEquals(sample(3).losses(), c.losses());
        assertArrayEquals(sample(3).trainableCounts(), c.trainableCounts());
        assertEquals(0.75, c.evaluations().get(0).metrics().get("accuracy"));
        assertTrue(Double.isNaN(c.evaluations().get(0).metrics().get("loss")));
        assertArrayEquals(new float[] {9, 9, 9}, c.bestValues().get("a.lora_A"));
    }

    @Test
    void keepsTheNewestAndLoadsTheLatest() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2);
        Files.createDirectories(dir.resolve(".tmp-step-0000000003-123").resolve("half-written"));
        for (long s = 1; s <= 4; s++) {
            store.save(sample(s));
        }
        assertEquals(2, store.list().size());
        assertEquals(4, store.loadLatest().orElseThrow().step());
        assertTrue(new CheckpointStore(dir.resolve("none"), 1).loadLatest().isEmpty());
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".tmp")), "no temporary directory left");
        }
    }

    @Test
    void truncatedFileIsReportedByName() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 1);
        Path cp = store.save(sample(2));
        Path f = cp.resolve(CheckpointStore.OPTIMIZER);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 5));
        CheckpointException e = assertThrows(CheckpointException.class, store::loadLatest);
        assertEquals(f, e.file());
        assertTrue(e.getMessage().contains(CheckpointStore.OPTIMIZER) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void flippedByteIsReportedByName() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 1);
        Path cp = store.save(sample(2));
        Path f = cp.resolve(CheckpointStore.PARAMETERS);
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 1;
        Files.write(f, b);
        CheckpointException e = assertThrows(CheckpointException.class, store::loadLatest);
        assertEquals(f, e.file());
        assertTrue(e.getMessage().contains("corrupted"), e.getMessage());
    }

    @Test
    void damagedOrMissingManifestIsReportedByName() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 1);
        Path cp = store.save(sample(1));
        Path manifest = cp.resolve(CheckpointStore.MANIFEST);
        Files.writeString(manifest, "{\"format\": 1, \"files\": ");
        CheckpointException e = assertThrows(CheckpointException.class, store::loadLatest);
        assertEquals(manifest, e.file());
        Files.delete(manifest);
        e = assertThrows(CheckpointException.class, store::loadLatest);
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
}
