package org.peft4j.plugins.aflora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.freeze.Scoring;
import org.peft4j.api.testing.MapHyperParameters;
import org.peft4j.api.training.ParameterState;

class SensitivityScoringTest {

    private static Map<String, ParameterState> one(String name, float[] values, float[] gradient) {
        return Map.of(name, new ParameterState(name, values, gradient));
    }

    private static Map<String, ParameterState> grad(String name, float... gradient) {
        return one(name, new float[gradient.length], gradient);
    }

    @Test
    void declaresTheSpecDefaults() {
        AfloraSensitivityScorer scorer = new AfloraSensitivityScorer();
        assertEquals("aflora-sensitivity", scorer.id());
        Map<String, Object> d = new LinkedHashMap<>();
        for (HyperParameter<?> p : scorer.hyperParameters()) {
            assertFalse(p.description().isBlank());
            d.put(p.key(), p.defaultValue());
        }
        assertEquals(Map.of("beta1", 0.85, "beta2", 0.95, "window", 10, "sensitivity", "gradient"), d);
    }

    @Test
    void badValuesFailNamingTheKey() {
        AfloraSensitivityScorer scorer = new AfloraSensitivityScorer();
        assertEquals("x.beta1", assertThrows(ConfigurationException.class,
                () -> scorer.create(new MapHyperParameters("x.", Map.of("beta1", 1.0)))).key());
        assertEquals("x.beta2", assertThrows(ConfigurationException.class,
                () -> scorer.create(new MapHyperParameters("x.", Map.of("beta2", -0.1)))).key());
        assertEquals("x.window", assertThrows(ConfigurationException.class,
                () -> scorer.create(new MapHyperParameters("x.", Map.of("window", 0)))).key());
        assertEquals("x.sensitivity", assertThrows(ConfigurationException.class,
                () -> scorer.create(new MapHyperParameters("x.", Map.of("sensitivity", "hessian")))).key());
    }

    /**
     * Window 3, beta1 = beta2 = 0.5, gradients 1, -2, 3, -4, 5, -6, 7 (one element), by hand:
     * g0: Ibar 0, Ubar 0, I 1; g1: I 1.5; g2: I 2; g3: Ibar 1, Ubar 0.5, I 4 (S 0.5);
     * g4: I 4.5; g5: I 5; g6: Ibar 3, Ubar 0.25 + 1 = 1.25, I 7 (S 3.75).
     */
    @Test
    void replaysTheWindowedEmaByHand() {
        Scoring s = new SensitivityScoring(0.5, 0.5, 3, false);
        float[] grads = {1, -2, 3, -4, 5, -6, 7};
        float[] expectedScore = {0, 0, 0, 0.5f, 0.5f, 0.5f, 3.75f};
        float[] expectedI = {1, 1.5f, 2, 4, 4.5f, 5, 7};
        for (int g = 0; g < grads.length; g++) {
            s.observe(g, grad("P", grads[g]));
            assertEquals(expectedScore[g], s.elementScores().get("P")[0], 1e-6, "score at step " + g);
            assertEquals(expectedI[g], s.state().get("P#I")[0], 1e-6, "I at step " + g);
        }
        assertEquals(3f, s.state().get("P#Ibar")[0], 1e-6);
        assertEquals(1.25f, s.state().get("P#Ubar")[0], 1e-6);
    }

    /** An independent double-precision replay of the spec over random gradients with the defaults. */
    @Test
    void matchesTheSpecFormulaOverManySteps() {
        Scoring s = new AfloraSensitivityScorer().create(MapHyperParameters.empty());
        Random r = new Random(3);
        int n = 7;
        double[] i = new double[n];
        double[] iBar = new double[n];
        double[] uBar = new double[n];
        for (int g = 0; g < 47; g++) {
            float[] gradient = new float[n];
            for (int j = 0; j < n; j++) {
                gradient[j] = (float) r.nextGaussian();
            }
            s.observe(g, grad("A", gradient));
            int l = g % 10;
            for (int j = 0; j < n; j++) {
                if (l == 0) {
                    iBar[j] = 0.85 * iBar[j] + 0.15 * i[j];
                    uBar[j] = 0.95 * uBar[j] + 0.05 * Math.abs(i[j] - iBar[j]);
                    i[j] = Math.abs(gradient[j]);
                } else {
                    i[j] = (l * i[j] + Math.abs(gradient[j])) / (l + 1);
                }
                assertEquals(iBar[j] * uBar[j], s.elementScores().get("A")[j], 1e-6 * (1 + iBar[j] * uBar[j]), "step " + g);
            }
        }
        assertTrue(s.elementScores().get("A")[0] > 0);
    }

    @Test
    void scoresOnlyChangeAtWindowStarts() {
        Scoring s = new SensitivityScoring(0.85, 0.95, 4, false);
        Random r = new Random(1);
        float[] last = null;
        for (int g = 0; g < 13; g++) {
            s.observe(g, grad("B", (float) r.nextGaussian() + 2, (float) r.nextGaussian() - 2));
            float[] now = s.elementScores().get("B").clone();
            if (last != null && g % 4 != 0) {
                assertArrayEquals(last, now, "step " + g);
            }
            if (g >= 4 && g % 4 == 0) {
                assertFalse(java.util.Arrays.equals(last, now), "step " + g);
            }
            last = now;
        }
    }

    @Test
    void weightTimesGradientUsesTheProduct() {
        Scoring grad = new SensitivityScoring(0.5, 0.5, 1, false);
        Scoring wtg = new AfloraSensitivityScorer().create(MapHyperParameters.of("sensitivity", "weight-times-gradient", "window", 1,
                "beta1", 0.5, "beta2", 0.5));
        float[] w = {2, -3};
        float[] g = {0.5f, 0.25f};
        for (int step = 0; step < 2; step++) {
            grad.observe(step, one("P", w, g));
            wtg.observe(step, one("P", w, g));
        }
        // after two steps of window 1: I was |s| at step 0, Ibar = 0.5 s, Ubar = 0.5 |s - 0.5 s| = 0.25 s
        assertEquals(0.5 * 0.5 * 0.25 * 0.5, grad.elementScores().get("P")[0], 1e-7);
        assertEquals(0.5 * 1.0 * 0.25 * 1.0, wtg.elementScores().get("P")[0], 1e-7);
        assertEquals(0.5 * 0.75 * 0.25 * 0.75, wtg.elementScores().get("P")[1], 1e-7);
    }

    @Test
    void stateRoundTripsExactlyAndReleaseStopsTracking() {
        Scoring a = new AfloraSensitivityScorer().create(MapHyperParameters.of("window", 4));
        Random r = new Random(9);
        for (int g = 0; g < 14; g++) {
            a.observe(g, twoTensors(r));
        }
        Scoring b = new AfloraSensitivityScorer().create(MapHyperParameters.of("window", 4));
        b.restore(a.state());
        assertEquals(a.elementScores().keySet(), b.elementScores().keySet());
        for (int g = 14; g < 25; g++) {
            Map<String, ParameterState> step = twoTensors(r);
            a.observe(g, step);
            b.observe(g, step);
            for (String name : a.elementScores().keySet()) {
                assertArrayEquals(a.elementScores().get(name), b.elementScores().get(name));
            }
        }
        a.release(Set.of("first"));
        assertEquals(Set.of("second"), a.elementScores().keySet());
        assertEquals(Set.of("second#I", "second#Ibar", "second#Ubar"), new HashSet<>(a.state().keySet()));
        assertThrows(IllegalArgumentException.class, () -> b.restore(Map.of("first#I", new float[2])));
        assertThrows(IllegalArgumentException.class, () -> b.restore(Map.of("first", new float[2])));
        assertThrows(IllegalArgumentException.class, () -> b.restore(Map.of("first#X", new float[2])));
    }

    private static Map<String, ParameterState> twoTensors(Random r) {
        Map<String, ParameterState> m = new LinkedHashMap<>();
        for (String name : new String[] {"first", "second"}) {
            float[] v = new float[3];
            float[] g = new float[3];
            for (int j = 0; j < 3; j++) {
                v[j] = (float) r.nextGaussian();
                g[j] = (float) r.nextGaussian();
            }
            m.put(name, new ParameterState(name, v, g));
        }
        return m;
    }

    @Test
    void weightMagnitudeScoresAbsoluteValues() {
        WeightMagnitudeScorer scorer = new WeightMagnitudeScorer();
        assertEquals("weight-magnitude", scorer.id());
        assertTrue(scorer.hyperParameters().isEmpty());
        Scoring s = scorer.create(MapHyperParameters.empty());
        s.observe(0, one("P", new float[] {-1, 2, -3}, new float[3]));
        assertArrayEquals(new float[] {1, 2, 3}, s.elementScores().get("P"));
        assertEquals(2.0, CubicSchedule.mean(s.elementScores().get("P")));
        Scoring t = scorer.create(MapHyperParameters.empty());
        t.restore(s.state());
        assertArrayEquals(s.elementScores().get("P"), t.elementScores().get("P"));
        s.release(Set.of("P"));
        assertTrue(s.elementScores().isEmpty());
    }
}
