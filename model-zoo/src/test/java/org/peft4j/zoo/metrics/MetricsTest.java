package org.peft4j.zoo.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every metric against values computed by hand (the working is in the comments). */
class MetricsTest {

    // predictions vs references: TP at 0 and 3, TN at 1, FP at 2, FN at 4
    private static final double[] PRED = {1, 0, 1, 1, 0};
    private static final double[] REF = {1, 0, 0, 1, 1};

    @Test
    void accuracyCountsEqualEntries() {
        assertEquals(0.6, Metrics.compute("accuracy", PRED, REF), 1e-12);
    }

    @Test
    void f1IsTwoTpOverTwoTpPlusFpPlusFn() {
        // 2*2 / (2*2 + 1 + 1)
        assertEquals(2.0 / 3.0, Metrics.compute("f1", PRED, REF), 1e-12);
        assertEquals(0.0, Metrics.compute("f1", new double[] {0, 0}, new double[] {0, 0}), 0.0);
        assertEquals(1.0, Metrics.compute("f1", new double[] {1, 0}, new double[] {1, 0}), 0.0);
    }

    @Test
    void matthewsBinary() {
        // (TP*TN - FP*FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (2 - 1) / sqrt(3*3*2*2) = 1/6
        assertEquals(1.0 / 6.0, Metrics.compute("matthews", PRED, REF), 1e-12);
        // TP=2, FN=1, FP=1, TN=0: (0 - 1) / sqrt(3*3*1*1) = -1/3
        assertEquals(-1.0 / 3.0, Metrics.matthews(new double[] {1, 0, 1, 1}, new double[] {1, 1, 1, 0}), 1e-12);
        assertEquals(1.0, Metrics.matthews(new double[] {0, 1, 1}, new double[] {0, 1, 1}), 1e-12);
        // constant prediction: denominator 0, reported as 0
        assertEquals(0.0, Metrics.matthews(new double[] {1, 1, 1}, new double[] {0, 1, 1}), 0.0);
    }

    @Test
    void matthewsMultiClass() {
        // correct c = 3 of s = 6; predicted counts (3,1,2), true counts (2,2,2)
        // (c*s - sum p_k t_k) / sqrt(s^2 - sum p_k^2) / sqrt(s^2 - sum t_k^2) = (18 - 12) / sqrt(22 * 24)
        double[] ref = {0, 1, 2, 0, 1, 2};
        double[] pred = {0, 2, 1, 0, 0, 2};
        assertEquals(6.0 / Math.sqrt(528.0), Metrics.compute("matthews", pred, ref), 1e-12);
    }

    @Test
    void pearson() {
        // x = 1..5, y = (2,4,5,4,5): means 3 and 4; Sxy = 6, Sxx = 10, Syy = 6
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {2, 4, 5, 4, 5};
        assertEquals(6.0 / Math.sqrt(60.0), Metrics.compute("pearson", x, y), 1e-12);
        assertEquals(-1.0, Metrics.pearson(x, new double[] {10, 8, 6, 4, 2}), 1e-12);
        assertTrue(Double.isNaN(Metrics.pearson(x, new double[] {3, 3, 3, 3, 3})));
    }

    @Test
    void spearmanAveragesTiedRanks() {
        // ranks of y = (2,4,5,4,5) are (1, 2.5, 4.5, 2.5, 4.5); Sxy = 7, Sxx = 10, Syy = 9
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {2, 4, 5, 4, 5};
        assertArrayEquals(new double[] {1, 2.5, 4.5, 2.5, 4.5}, Metrics.ranks(y), 0.0);
        assertEquals(7.0 / Math.sqrt(90.0), Metrics.compute("spearman", x, y), 1e-12);
        // monotone but not linear: rank correlation 1
        assertEquals(1.0, Metrics.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 8, 27, 1000}), 1e-12);
    }

    @Test
    void rejectsBadInput() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Metrics.byId("auc"));
        assertTrue(unknown.getMessage().contains("accuracy"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(new double[] {1}, new double[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Metrics.binaryF1(new double[] {0.5}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Metrics.matthews(new double[] {-1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Metrics.pearson(new double[] {1, 2}, new double[] {Double.NaN, 1}));
        assertTrue(Double.isNaN(Metrics.pearson(new double[] {Double.NaN, 1}, new double[] {1, 2})), "diverged predictions score NaN");
        assertTrue(Double.isNaN(Metrics.spearman(new double[] {Double.POSITIVE_INFINITY, 1}, new double[] {1, 2})));
    }

    @Test
    void idsAreTheDocumentedOnes() {
        assertEquals(java.util.List.of("accuracy", "f1", "matthews", "pearson", "spearman"), Metrics.ids());
        assertTrue(Metrics.byId("accuracy").classification());
        assertTrue(!Metrics.byId("spearman").classification());
    }
}
