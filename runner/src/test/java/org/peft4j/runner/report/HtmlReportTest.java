package org.peft4j.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peft4j.runner.results.ComparisonResults;

class HtmlReportTest {

    private static List<ReportCharts.RenderedChart> charts;
    private static String html;

    @BeforeAll
    static void render() {
        ComparisonResults c = ReportFixtures.comparison();
        charts = ReportCharts.render(c);
        html = HtmlReport.render(c, charts);
    }

    @Test
    void everyChartIsThere() {
        List<String> ids = charts.stream().map(ReportCharts.RenderedChart::id).toList();
        assertEquals(List.of("loss-sst2", "loss-cola", "trainable-sst2", "trainable-cola", "validation-sst2", "validation-cola", "metric-vs-params-sst2", "metric-vs-params-cola",
                "step-time", "freeze-aflora-sst2-seed-1", "freeze-aflora-sst2-seed-2", "freeze-aflora-cola-seed-1", "freeze-aflora-cola-seed-2"), ids);
        assertEquals(charts.size(), count(html, "<img "));
        for (String title : List.of("Training loss per strategy: sst2", "Validation matthews per epoch: cola",
                "test accuracy vs trainable parameters: sst2", "Trainable adapter parameters per step: cola", "Median training-step time per strategy", "Freezing timeline: aflora/cola/seed-2")) {
            assertTrue(html.contains("alt=\"" + title + "\""), title);
        }
    }

    @Test
    void imagesAreEmbeddedDecodablePngs() throws IOException {
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int n = 0;
        while (m.find()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertTrue(image != null && image.getWidth() >= 900 && image.getHeight() >= 300, "chart " + n);
            n++;
        }
        assertEquals(charts.size(), n);
        assertTrue(html.contains("width=\"900\""), "charts are shown at their logical size");
    }

    @Test
    void selfContained() {
        assertFalse(html.contains("http://"), "no http reference");
        assertFalse(html.contains("https://"), "no https reference");
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.contains("<link"), "no external stylesheet");
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<style>") && html.trim().endsWith("</html>"));
    }

    @Test
    void sameTablesAsTheMarkdown() {
        assertTrue(html.contains("<td>lora</td><td class=\"num\">147.5K</td><td class=\"num\">1538</td><td class=\"num\">91.00 ± 1.41</td>"
                + "<td class=\"num\">53.00 ± 4.24</td><td class=\"num\">72.00</td>"), html.substring(0, 4000));
        assertTrue(html.contains("<td>elora/cola/seed-2</td><td>loss became NaN at step 17 | learning rate too high</td>"));
        assertTrue(html.contains("<dt>commit</dt><dd>abc1234</dd>"));
        assertTrue(html.contains("aflora-cubic from peft4j-plugin-aflora@0.1.0: initial-warmup=1"));
    }

    @Test
    void textIsEscaped() {
        ComparisonResults c = ReportFixtures.comparison();
        ComparisonResults evil = new ComparisonResults(c.schemaVersion(), "<b>x</b> & \"y\"", c.description(), c.config(),
                c.referenceStrategy(), c.startedAt(), c.finishedAt(), c.environment(), c.runs(), c.summaries());
        String h = HtmlReport.render(evil, List.of());
        assertTrue(h.contains("Comparison: &lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;"));
        assertFalse(h.contains("<b>x</b>"));
    }

    @Test
    void noChartsWithoutFinishedRuns() {
        ComparisonResults c = ReportFixtures.comparison();
        List<org.peft4j.runner.results.RunResult> runs = c.runs().stream().map(r -> ReportFixtures.failed(r.strategy(), r.dataset(), r.seed()))
                .toList();
        ComparisonResults failed = new ComparisonResults(c.schemaVersion(), c.name(), c.description(), c.config(), "lora", c.startedAt(),
                c.finishedAt(), c.environment(), runs, Summaries.compute(runs, "lora"));
        assertEquals(List.of(), ReportCharts.render(failed));
        assertTrue(HtmlReport.render(failed).contains("No chart"));
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }
}
