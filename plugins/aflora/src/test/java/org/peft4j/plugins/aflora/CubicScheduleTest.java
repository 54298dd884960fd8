package org.peft4j.plugins.aflora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.freeze.FreezeContext;
import org.peft4j.api.freeze.FreezeSchedule;
import org.peft4j.api.testing.MapHyperParameters;

/** T = 100 steps, 10 steps per epoch, t_i = 1, t_f = 3 epochs: a = 10, z = 70, cubic over 60 steps. */
class CubicScheduleTest {

    private static final long T = 100;
    private static final long SPE = 10;

    private final CubicSchedule schedule = new CubicSchedule(1, 3, 10);

    @Test
    void declaresTheSpecDefaults() {
        AfloraCubicScheduler s = new AfloraCubicScheduler();
        assertEquals("aflora-cubic", s.id());
        Map<String, Object> d = new LinkedHashMap<>();
        for (HyperParameter<?> p : s.hyperParameters()) {
            assertFalse(p.description().isBlank());
            d.put(p.key(), p.defaultValue());
        }
        assertEquals(Map.of("initial-warmup", 1.0, "final-warmup", 7.0, "window", 10), d);
        assertTrue(s.create(MapHyperParameters.empty()).usesScores());
    }

    @Test
    void badValuesFailNamingTheKey() {
        AfloraCubicScheduler s = new AfloraCubicScheduler();
        assertEquals("k.initial-warmup", assertThrows(ConfigurationException.class,
                () -> s.create(new MapHyperParameters("k.", Map.of("initial-warmup", -1)))).key());
        assertEquals("k.final-warmup", assertThrows(ConfigurationException.class,
                () -> s.create(new MapHyperParameters("k.", Map.of("final-warmup", Double.NaN)))).key());
        assertEquals("k.window", assertThrows(ConfigurationException.class,
                () -> s.create(new MapHyperParameters("k.", Map.of("window", 0)))).key());
    }

    @Test
    void thetaAtTheBoundaries() {
        assertEquals(1, schedule.theta(0, T, SPE));
        assertEquals(1, schedule.theta(10, T, SPE), "g = t_i * spe is still warmup");
        assertEquals(Math.pow(1 - 1.0 / 60, 3), schedule.theta(11, T, SPE), 1e-12);
        assertEquals(0.125, schedule.theta(40, T, SPE), 1e-12);
        assertEquals(0, schedule.theta(70, T, SPE), 1e-12, "g = T - t_f * spe ends the cubic at m = 0");
        assertEquals(0, schedule.theta(71, T, SPE));
        assertEquals(0, schedule.theta(99, T, SPE));
        assertFalse(schedule.isCheck(0, T, SPE));
        assertFalse(schedule.isCheck(10, T, SPE));
        assertFalse(schedule.isCheck(11, T, SPE));
        assertTrue(schedule.isCheck(20, T, SPE));
        assertFalse(schedule.isCheck(69, T, SPE));
        assertTrue(schedule.isCheck(70, T, SPE));
        assertTrue(schedule.isCheck(71, T, SPE), "the final phase checks every step");
        assertTrue(schedule.isCheck(73, T, SPE));
    }

    /** Four 10-element matrices whose elements all score 1, 2, 3, 4. */
    private static Map<String, float[]> flatScores(List<String> names) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (String n : names) {
            float[] s = new float[10];
            Arrays.fill(s, Integer.parseInt(n.substring(1)));
            m.put(n, s);
        }
        return m;
    }

    private Set<String> select(long g, List<String> candidates, Map<String, float[]> scores) {
        return schedule.select(new FreezeContext(g, T, SPE, candidates, scores));
    }

    @Test
    void freezesMatricesWhoseMeanIsBelowTheKthSmallestElementScore() {
        List<String> c = List.of("P1", "P2", "P3", "P4");
        Map<String, float[]> s = flatScores(c);
        assertEquals(Set.of(), select(10, c, s), "warmup");
        assertEquals(Set.of(), select(25, c, s), "not a check step");
        // g = 20: theta = (5/6)^3 = 0.5787, k = floor(40 * 0.4213) = 16, tau = 16th smallest = 2
        assertEquals(Set.of("P1"), select(20, c, s));
        // g = 60: theta = (1/6)^3, k = floor(40 * 0.99537) = 39, tau = 4: P1..P3 freeze
        assertEquals(Set.of("P1", "P2", "P3"), select(60, c, s));
        // g = 70: theta = 0 -> k = N, tau = 4 (the maximum): everything strictly below the maximum
        assertEquals(Set.of("P1", "P2", "P3"), select(70, c, s));
        assertEquals(Set.copyOf(c), select(71, c, s), "final phase: everything freezes");
    }

    @Test
    void thresholdUsesElementScoresAndMatrixMeans() {
        // P1 has one huge element: its mean (10.9) exceeds every other element; P2 is flat 2
        Map<String, float[]> s = new LinkedHashMap<>();
        float[] p1 = new float[10];
        Arrays.fill(p1, 1);
        p1[0] = 100;
        float[] p2 = new float[10];
        Arrays.fill(p2, 2);
        s.put("P1", p1);
        s.put("P2", p2);
        // g = 40: theta = 0.125, k = floor(20 * 0.875) = 17, sorted: nine 1s, ten 2s, 100 -> tau = 2
        assertEquals(Set.of(), select(40, List.of("P1", "P2"), s), "P2's mean equals tau, P1's is above");
        // g = 60: k = floor(20 * (1 - 1/216)) = 19, tau = 2 still
        assertEquals(Set.of(), select(60, List.of("P1", "P2"), s));
    }

    @Test
    void noFreezingWhileKIsBelowOne() {
        Map<String, float[]> s = Map.of("P1", new float[] {1, 2}, "P2", new float[] {3});
        // g = 20: N = 3, k = floor(3 * 0.4213) = 1 -> tau = 1, nothing has mean < 1
        assertEquals(Set.of(), select(20, List.of("P1", "P2"), s));
        Map<String, float[]> tiny = Map.of("P1", new float[] {1}, "P2", new float[] {3});
        // N = 2, k = floor(2 * 0.4213) = 0
        assertEquals(Set.of(), select(20, List.of("P1", "P2"), tiny));
        // later k = 1 with tau = 1: still nothing strictly below
        assertEquals(Set.of(), select(40, List.of("P1", "P2"), tiny));
    }

    @Test
    void poolShrinksAsMatricesFreezeAndIsEmptyWhenTheFinalPhaseBegins() {
        List<String> pool = new ArrayList<>();
        Map<String, float[]> scores = new LinkedHashMap<>();
        for (int i = 1; i <= 12; i++) {
            String name = "P" + i;
            pool.add(name);
            float[] s = new float[8];
            for (int j = 0; j < s.length; j++) {
                s[j] = i + 0.1f * j;
            }
            scores.put(name, s);
        }
        // a flat matrix at the top score: its mean never falls below the k-th smallest element
        pool.add("P99");
        float[] top = new float[8];
        Arrays.fill(top, 99);
        scores.put("P99", top);
        List<Long> freezeSteps = new ArrayList<>();
        List<Integer> poolSizes = new ArrayList<>();
        for (long g = 0; g < T && !pool.isEmpty(); g++) {
            Map<String, float[]> live = new LinkedHashMap<>();
            pool.forEach(p -> live.put(p, scores.get(p)));
            Set<String> frozen = schedule.select(new FreezeContext(g, T, SPE, pool, live));
            assertTrue(pool.containsAll(frozen));
            if (!frozen.isEmpty()) {
                assertTrue(g > 10, "nothing freezes in the initial warmup");
                assertTrue(g % 10 == 0 || g > 70, "cubic-phase freezes only at check steps, got " + g);
                // lowest-scoring matrices go first
                int maxFrozen = frozen.stream().mapToInt(n -> Integer.parseInt(n.substring(1))).max().orElseThrow();
                assertTrue(pool.stream().filter(p -> !frozen.contains(p)).allMatch(p -> Integer.parseInt(p.substring(1)) > maxFrozen));
                freezeSteps.add(g);
                pool.removeAll(frozen);
                poolSizes.add(pool.size());
            }
        }
        assertTrue(pool.isEmpty());
        assertEquals(71L, freezeSteps.get(freezeSteps.size() - 1), "the rest freezes at the first step of the final phase");
        assertEquals(1, poolSizes.get(poolSizes.size() - 2), "only the top matrix survives the cubic phase: " + poolSizes);
        assertTrue(freezeSteps.size() >= 3, "freezing is gradual: " + freezeSteps);
        for (int i = 1; i < poolSizes.size(); i++) {
            assertTrue(poolSizes.get(i) < poolSizes.get(i - 1));
        }
    }

    @Test
    void missingScoresAtACheckAreAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> select(20, List.of("P1", "P2"), Map.of("P1", new float[] {1})));
        assertTrue(e.getMessage().contains("P2"));
    }

    @Test
    void shortRunsWithoutACubicPhaseFreezeEverythingAfterTheInitialWarmup() {
        FreezeSchedule s = new AfloraCubicScheduler().create(MapHyperParameters.empty()); // t_i 1, t_f 7
        List<String> c = List.of("P1");
        Map<String, float[]> scores = Map.of("P1", new float[] {1});
        assertEquals(Set.of(), s.select(new FreezeContext(10, 30, 10, c, scores)));
        assertEquals(Set.of("P1"), s.select(new FreezeContext(11, 30, 10, c, scores)));
    }

    @Test
    void fractionalWarmupsAreInSteps() {
        CubicSchedule s = new CubicSchedule(0.5, 0.25, 5);
        // spe 20: a = 10, z = 100 - 5 = 95
        assertEquals(1, s.theta(10, 100, 20));
        assertEquals(Math.pow(1 - 5.0 / 85, 3), s.theta(15, 100, 20), 1e-12);
        assertEquals(0, s.theta(96, 100, 20));
    }

    @Test
    void freezeAtEpochFreezesEverythingAtThatEpoch() {
        FreezeAtEpochScheduler scheduler = new FreezeAtEpochScheduler();
        assertEquals("freeze-at-epoch", scheduler.id());
        assertEquals(1, scheduler.hyperParameters().get(0).defaultValue());
        FreezeSchedule s = scheduler.create(MapHyperParameters.of("epoch", 2));
        assertFalse(s.usesScores());
        List<String> c = List.of("A", "B");
        assertEquals(Set.of(), s.select(new FreezeContext(19, 100, 10, c, Map.of())));
        assertEquals(Set.of("A", "B"), s.select(new FreezeContext(20, 100, 10, c, Map.of())));
        assertEquals("p.epoch", assertThrows(ConfigurationException.class,
                () -> scheduler.create(new MapHyperParameters("p.", Map.of("epoch", -1)))).key());
    }
}
