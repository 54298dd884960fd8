package org.peft4j.runner.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.ComparisonResults.MeanStd;
import org.peft4j.runner.results.ComparisonResults.Summary;
import org.peft4j.runner.results.RunResult;

/**
 * Draws the charts of a comparison report with XChart, as PNG images, headless.
 *
 * <p>The charts, in order: per dataset the training loss per strategy (x = optimizer step, mean over the finished
 * seeds up to the shortest run, smoothed by a trailing moving average when there are many steps), per dataset the
 * trainable adapter parameters per step (only when some strategy's count changes during training), per dataset the
 * validation value of the dataset's primary metric per epoch (mean over seeds), per dataset the primary metric (test
 * split, or validation when no test values exist) versus the time-averaged trainable adapter parameters (scatter, log
 * x, error bars = standard deviation), the median step time per strategy (bars per dataset, error bars = standard
 * deviation), and for every run with freeze events its freezing timeline as a layer × matrix heatmap
 * ({@link FreezeGrid}). A chart without data (no finished run with losses, say) is left out. Each strategy keeps its
 * colour in every chart.
 */
public final class ReportCharts {

    /**
     * One rendered chart.
     *
     * @param id a file-name-safe id, unique within a report, such as {@code loss-sst2}
     * @param title the chart's title
     * @param caption one sentence saying how to read it
     * @param png the image, PNG-encoded
     */
    public record RenderedChart(String id, String title, String caption, byte[] png) {
    }

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 460;
    private static final double SCALE = 2.0;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    private static final Font BASE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private ReportCharts() {
    }

    /** Renders every chart {@code results} has data for, in the order described above. */
    public static List<RenderedChart> render(ComparisonResults results) {
        ReportModel model = new ReportModel(results);
        List<RenderedChart> out = new ArrayList<>();
        for (String dataset : model.datasets()) {
            loss(model, dataset, out);
        }
        for (String dataset : model.datasets()) {
            trainable(model, dataset, out);
        }
        for (String dataset : model.datasets()) {
            validation(model, dataset, out);
        }
        for (String dataset : model.datasets()) {
            metricVersusParams(model, dataset, out);
        }
        stepTime(model, out);
        Set<String> ids = new LinkedHashSet<>();
        out.forEach(c -> ids.add(c.id()));
        for (RunResult run : results.runs()) {
            if (run.freezes() != null && !run.freezes().isEmpty()) {
                String id = unique("freeze-" + slug(run.runId()), ids);
                out.add(freezeHeatmap(run, id));
            }
        }
        return out;
    }

    private static void loss(ReportModel model, String dataset, List<RenderedChart> out) {
        XYChart chart = xy("Training loss per strategy: " + dataset, "optimizer step", "training loss");
        int window = 1;
        for (String strategy : model.strategies()) {
            List<List<Double>> curves = new ArrayList<>();
            for (RunResult run : model.finishedRuns(strategy, dataset)) {
                if (run.losses() != null && !run.losses().isEmpty()) {
                    curves.add(run.losses());
                }
            }
            if (curves.isEmpty()) {
                continue;
            }
            double[] mean = meanCurve(curves);
            int w = Math.max(1, mean.length / 60);
            window = Math.max(window, w);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            double[] smooth = movingAverage(mean, w);
            // at most about 1500 points per line: more cannot be told apart at this width
            int stride = Math.max(1, (smooth.length + 1499) / 1500);
            for (int i = 0; i < smooth.length; i += stride) {
                if (Double.isFinite(smooth[i])) {
                    xs.add((double) i);
                    ys.add(smooth[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(strategy, xs, ys);
            s.setMarker(SeriesMarkers.NONE);
            color(s, model.colorIndex(strategy));
        }
        if (!chart.getSeriesMap().isEmpty()) {
            String smoothing = window > 1 ? "; trailing moving average over up to " + window + " steps" : "";
            out.add(encode("loss-" + slug(dataset), chart, "Training loss per step, mean over the finished seeds" + smoothing + "."));
        }
    }

    /** Trainable adapter parameters per step, drawn only when some strategy's count changes during training. */
    private static void trainable(ReportModel model, String dataset, List<RenderedChart> out) {
        XYChart chart = xy("Trainable adapter parameters per step: " + dataset, "optimizer step", "trainable adapter parameters");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        boolean changes = false;
        for (String strategy : model.strategies()) {
            List<List<Double>> curves = new ArrayList<>();
            for (RunResult run : model.finishedRuns(strategy, dataset)) {
                if (run.trainableCounts() != null && !run.trainableCounts().isEmpty()) {
                    curves.add(run.trainableCounts().stream().map(c -> c == null ? null : c.doubleValue()).toList());
                }
            }
            if (curves.isEmpty()) {
                continue;
            }
            double[] mean = meanCurve(curves);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            int stride = Math.max(1, (mean.length + 1499) / 1500);
            for (int i = 0; i < mean.length; i++) {
                if (Double.isFinite(mean[i]) && (i % stride == 0 || i == mean.length - 1 || mean[i] != mean[i - 1])) {
                    xs.add((double) i);
                    ys.add(mean[i]);
                }
                changes |= i > 0 && mean[i] != mean[i - 1];
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(strategy, xs, ys);
            s.setMarker(SeriesMarkers.NONE);
            color(s, model.colorIndex(strategy));
        }
        if (changes) {
            out.add(encode("trainable-" + slug(dataset), chart,
                    "Trainable adapter parameters at each optimizer step (mean over the finished seeds): falls as matrices freeze."));
        }
    }

    private static void validation(ReportModel model, String dataset, List<RenderedChart> out) {
        String metric = model.primaryMetric(dataset);
        if (metric == null) {
            return;
        }
        XYChart chart = xy("Validation " + metric + " per epoch: " + dataset, "epoch", "validation " + metric);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        for (String strategy : model.strategies()) {
            Map<Integer, List<Double>> byEpoch = new java.util.TreeMap<>();
            for (RunResult run : model.finishedRuns(strategy, dataset)) {
                if (run.epochs() == null) {
                    continue;
                }
                for (RunResult.EpochRecord e : run.epochs()) {
                    Double v = e.validation() == null ? null : e.validation().get(metric);
                    if (v != null && Double.isFinite(v)) {
                        byEpoch.computeIfAbsent(e.epoch(), k -> new ArrayList<>()).add(v);
                    }
                }
            }
            if (byEpoch.isEmpty()) {
                continue;
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            byEpoch.forEach((epoch, values) -> {
                xs.add(epoch + 1.0);
                ys.add(MeanStd.of(values).mean());
            });
            XYSeries s = chart.addSeries(strategy, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            color(s, model.colorIndex(strategy));
        }
        if (!chart.getSeriesMap().isEmpty()) {
            out.add(encode("validation-" + slug(dataset), chart,
                    "Validation " + metric + " after each epoch (1-based), mean over the finished seeds."));
        }
    }

    private static void metricVersusParams(ReportModel model, String dataset, List<RenderedChart> out) {
        String metric = model.primaryMetric(dataset);
        if (metric == null) {
            return;
        }
        boolean useTest = model.summaries(dataset).stream().anyMatch(s -> s.test() != null && finite(s.test().get(metric)));
        String split = useTest ? "test" : "validation";
        XYChart chart = xy(split + " " + metric + " vs trainable parameters: " + dataset, "time-averaged trainable adapter parameters (log)",
                split + " " + metric);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setMarkerSize(11);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setXAxisLogarithmicDecadeOnly(true);
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Summary s : model.summaries(dataset)) {
            Map<String, MeanStd> values = useTest ? s.test() : s.validation();
            MeanStd y = values == null ? null : values.get(metric);
            double x = s.timeAveragedParams() == null ? Double.NaN : s.timeAveragedParams().mean();
            if (!finite(y) || !(x > 0) || !Double.isFinite(x)) {
                continue;
            }
            double err = Double.isFinite(y.std()) ? y.std() : 0;
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y.mean() - err);
            maxY = Math.max(maxY, y.mean() + err);
            XYSeries series = chart.addSeries(s.strategy(), new double[] {x}, new double[] {y.mean()}, new double[] {err});
            series.setMarker(SeriesMarkers.DIAMOND);
            color(series, model.colorIndex(s.strategy()));
        }
        if (!chart.getSeriesMap().isEmpty()) {
            // whole decades around the points, kept off the edges; a tenth of the range above and below
            chart.getStyler().setXAxisMin(Math.pow(10, Math.floor(Math.log10(minX / 1.5))));
            chart.getStyler().setXAxisMax(Math.pow(10, Math.ceil(Math.log10(maxX * 1.5))));
            double pad = Math.max((maxY - minY) * 0.1, Math.max(Math.abs(maxY) * 0.02, 1e-3));
            chart.getStyler().setYAxisMin(minY - pad);
            chart.getStyler().setYAxisMax(maxY + pad);
            out.add(encode("metric-vs-params-" + slug(dataset), chart, "Mean " + split + " " + metric
                    + " over the finished seeds (error bar: standard deviation) against the time-averaged trainable adapter parameters."));
        }
    }

    private static void stepTime(ReportModel model, List<RenderedChart> out) {
        CategoryChart chart = new CategoryChart(WIDTH, HEIGHT);
        chart.setTitle("Median training-step time per strategy");
        chart.setXAxisTitle("strategy");
        chart.setYAxisTitle("median step time (ms)");
        style(chart.getStyler());
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendVisible(model.datasets().size() > 1);
        int seriesIndex = 0;
        for (String dataset : model.datasets()) {
            List<String> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (String strategy : model.strategies()) {
                Summary s = model.summary(strategy, dataset);
                xs.add(strategy);
                boolean ok = s != null && s.finished() > 0 && finite(s.medianStepMillis());
                ys.add(ok ? s.medianStepMillis().mean() : 0.0);
                err.add(ok && Double.isFinite(s.medianStepMillis().std()) ? s.medianStepMillis().std() : 0.0);
            }
            if (ys.stream().allMatch(v -> v == 0.0)) {
                continue;
            }
            CategorySeries s = chart.addSeries(dataset, xs, ys, err);
            s.setFillColor(PALETTE[seriesIndex++ % PALETTE.length]);
        }
        if (!chart.getSeriesMap().isEmpty()) {
            out.add(encode("step-time", chart, "Median wall time of one training step, mean over the finished seeds"
                    + " (error bar: standard deviation); a missing bar is a strategy without finished runs."));
        }
    }

    private static RenderedChart freezeHeatmap(RunResult run, String id) {
        FreezeGrid grid = FreezeGrid.of(run);
        String title = "Freezing timeline: " + run.runId();
        FreezeHeatmap heatmap = new FreezeHeatmap(grid, title);
        String caption = "Optimizer step at which each projection matrix froze (" + grid.frozenCount() + " of " + grid.cellCount()
                + " cells frozen by the end); hatched grey cells never froze, black 'start' cells were frozen from the first step;"
                + " training ran " + (run.timing() == null ? "an unrecorded number of" : Long.toString(run.timing().steps())) + " steps.";
        return new RenderedChart(id, title, caption, png(id, heatmap.width(), heatmap.height(), heatmap::paint));
    }

    private static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return chart;
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(new Color(0x999999));
        styler.setChartTitleFont(BASE.deriveFont(Font.BOLD, 15f));
        styler.setLegendFont(BASE);
        styler.setLegendBorderColor(new Color(0xcccccc));
        styler.setAxisTitleFont(BASE.deriveFont(13f));
        styler.setAxisTickLabelsFont(BASE.deriveFont(11f));
        styler.setPlotGridLinesColor(new Color(0xe5e5e5));
        styler.setAntiAlias(true);
    }

    private static void color(XYSeries series, int index) {
        Color c = PALETTE[index % PALETTE.length];
        series.setLineColor(c);
        series.setMarkerColor(c);
        series.setFillColor(c);
    }

    /** The chart's width in CSS pixels: the image holds {@code SCALE} times as many pixels. */
    static int displayWidth(RenderedChart chart) {
        return pngWidth(chart.png()) / (int) SCALE;
    }

    private static int pngWidth(byte[] png) {
        // the IHDR chunk follows the 8-byte signature, its length and type: width is the big-endian int at offset 16
        return ((png[16] & 0xff) << 24) | ((png[17] & 0xff) << 16) | ((png[18] & 0xff) << 8) | (png[19] & 0xff);
    }

    private static RenderedChart encode(String id, Chart<?, ?> chart, String caption) {
        return new RenderedChart(id, chart.getTitle(), caption, png(id, chart.getWidth(), chart.getHeight(),
                g -> chart.paint(g, chart.getWidth(), chart.getHeight())));
    }

    /** Paints at {@link #SCALE} times the size, for sharp text on high-density screens, and encodes as PNG. */
    private static byte[] png(String id, int w, int h, java.util.function.Consumer<Graphics2D> painter) {
        BufferedImage image = new BufferedImage((int) (w * SCALE), (int) (h * SCALE), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.scale(SCALE, SCALE);
            painter.accept(g);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart " + id + " as PNG", e);
        }
        return bytes.toByteArray();
    }

    /** The step-wise mean of {@code curves}, as long as the shortest; a null value counts as NaN. */
    static double[] meanCurve(List<List<Double>> curves) {
        int n = curves.stream().mapToInt(List::size).min().orElse(0);
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (List<Double> c : curves) {
                Double v = c.get(i);
                sum += v == null ? Double.NaN : v;
            }
            mean[i] = sum / curves.size();
        }
        return mean;
    }

    /** The trailing mean over the last {@code window} finite values up to each index (NaN where there are none). */
    static double[] movingAverage(double[] values, int window) {
        double[] out = new double[values.length];
        double sum = 0;
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                sum += values[i];
                n++;
            }
            int leaving = i - window;
            if (leaving >= 0 && Double.isFinite(values[leaving])) {
                sum -= values[leaving];
                n--;
            }
            out[i] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    private static boolean finite(MeanStd m) {
        return m != null && m.n() > 0 && Double.isFinite(m.mean());
    }

    /** A lower-case file-name-safe form of {@code text}: runs of other characters become one {@code -}. */
    static String slug(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "x" : s;
    }

    private static String unique(String id, Set<String> taken) {
        String candidate = id;
        for (int i = 2; !taken.add(candidate); i++) {
            candidate = id + "-" + i;
        }
        return candidate;
    }
}
