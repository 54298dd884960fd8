package org.peft4j.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ScheduleAndRandomTest {

    @Test
    void linearScheduleMatchesHuggingFaceWithWarmup() {
        LinearSchedule s = new LinearSchedule(100, 0.06);
        assertEquals(6, s.warmupSteps());
        assertEquals(0.0, s.factor(0));
        assertEquals(3.0 / 6, s.factor(3), 1e-12);
        assertEquals(1.0, s.factor(6), 1e-12);
        assertEquals(50.0 / 94, s.factor(50), 1e-12);
        assertEquals(1.0 / 94, s.factor(99), 1e-12);
        assertEquals(0.0, s.factor(100));
        LinearSchedule none = new LinearSchedule(10, 0);
        assertEquals(1.0, none.factor(0));
        assertEquals(0.1, none.factor(9), 1e-12);
        assertEquals(1, new LinearSchedule(10, 0.01).warmupSteps(), "ceil of the ratio");
        assertThrows(IllegalArgumentException.class, () -> new LinearSchedule(0, 0.1));
    }

    @Test
    void splitMixIsReproducibleFromItsState() {
        SplitMix64 a = new SplitMix64(42);
        a.nextLong();
        long state = a.state();
        int[] p1 = a.permutation(50);
        int[] p2 = new SplitMix64(state).permutation(50);
        assertArrayEquals(p1, p2);
        int[] sorted = p1.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertEquals(0xe220a8397b1dcdafL, new SplitMix64(0).nextLong(), "reference SplitMix64 output for seed 0");
        int[] counts = new int[3];
        SplitMix64 r = new SplitMix64(7);
        for (int i = 0; i < 30000; i++) {
            counts[r.nextInt(3)]++;
        }
        for (int c : counts) {
            assertEquals(10000, c, 400);
        }
    }

    @Test
    void hyperparametersNameTheBadField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingHyperparameters(1, 8, -1, 1e-3, 0, 0.1, 1, 1, 0, 0));
        assertEquals("learning-rate must be finite and >= 0, got -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainingHyperparameters(1, 8, 1e-3, 1e-3, 0, 1.5, 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingHyperparameters(0, 8, 1e-3, 1e-3, 0, 0.1, 1, 1, 0, 0));
    }
}
