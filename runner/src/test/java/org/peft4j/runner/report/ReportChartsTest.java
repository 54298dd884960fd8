package org.peft4j.runner.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportChartsTest {

    @Test
    void movingAverageIsTrailingAndSkipsNonFinite() {
        double[] avg = ReportCharts.movingAverage(new double[] {1, 3, Double.NaN, 5, 7}, 2);
        assertArrayEquals(new double[] {1, 2, 3, 5, 6}, avg, 1e-12);
        assertTrue(Double.isNaN(ReportCharts.movingAverage(new double[] {Double.NaN}, 3)[0]));
        assertArrayEquals(new double[] {1, 3, 5}, ReportCharts.movingAverage(new double[] {1, 3, 5}, 1), 1e-12);
    }

    @Test
    void meanCurveStopsAtTheShortestRun() {
        double[] mean = ReportCharts.meanCurve(List.of(List.of(1.0, 2.0, 3.0), List.of(3.0, 4.0)));
        assertEquals("[2.0, 3.0]", Arrays.toString(mean));
    }

    @Test
    void slugsAreFileNameSafe() {
        assertEquals("aflora-sst2-seed-1", ReportCharts.slug("aflora/sst2/seed-1"));
        assertEquals("glue-mnli_m", ReportCharts.slug("GLUE: MNLI_m"));
        assertEquals("x", ReportCharts.slug("///"));
    }
}
