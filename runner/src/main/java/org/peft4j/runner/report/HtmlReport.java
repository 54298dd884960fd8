package org.peft4j.runner.report;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.runner.results.ComparisonResults;

/**
 * Renders a comparison as one self-contained HTML page ({@code report.html}): inline CSS, the charts embedded as
 * base64 PNG {@code data:} images, no script and no reference to anything outside the file, so it can be viewed
 * offline or attached anywhere.
 *
 * <p>It holds the same tables as the {@link MarkdownReport} (results, runtime and FLOPs, all metrics, failed runs,
 * environment, provenance) followed by the charts of {@link ReportCharts}, each in a {@code <figure>} with its title
 * as {@code alt} text and a caption.
 */
public final class HtmlReport {

    private static final String CSS = """
            body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328;max-width:1200px;margin:2em auto;\
            padding:0 1.5em;line-height:1.45}
            h1{border-bottom:1px solid #d0d7de;padding-bottom:.3em}
            h2{margin-top:2em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
            h3{margin-top:1.4em}
            table{border-collapse:collapse;margin:.6em 0;font-size:14px}
            th,td{border:1px solid #d0d7de;padding:5px 10px;vertical-align:top}
            th{background:#f6f8fa;text-align:left}
            td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
            tr:nth-child(even) td{background:#fbfcfd}
            p.note{color:#57606a;font-size:13px;max-width:60em}
            dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em;font-size:14px}
            dt{font-weight:600}
            dd{margin:0;word-break:break-word}
            figure{margin:1.5em 0;padding:0}
            figure img{display:block;max-width:100%;height:auto;border:1px solid #e5e7eb}
            figcaption{color:#57606a;font-size:13px;margin-top:.3em}
            .failed{color:#b42318}
            """;

    private HtmlReport() {
    }

    /** The report, with the charts rendered now. */
    public static String render(ComparisonResults results) {
        return render(results, ReportCharts.render(results));
    }

    /** The report with already rendered {@code charts}. */
    public static String render(ComparisonResults results, List<ReportCharts.RenderedChart> charts) {
        Objects.requireNonNull(charts, "charts");
        ReportModel m = new ReportModel(results);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>peft4j comparison: ").append(esc(results.name())).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>Comparison: ").append(esc(results.name())).append("</h1>\n");
        if (results.description() != null && !results.description().isBlank()) {
            h.append("<p>").append(esc(results.description())).append("</p>\n");
        }
        h.append("<p>").append(esc(ReportTables.overview(m))).append("</p>\n");

        h.append("<h2>Results</h2>\n");
        table(h, ReportTables.main(m));
        h.append("<p class=\"note\">").append(esc(ReportTables.mainNote(m))).append("</p>\n");

        String ref = results.referenceStrategy();
        h.append("<h2>Runtime and FLOPs").append(ref == null ? "" : " relative to " + esc(ref)).append("</h2>\n");
        table(h, ReportTables.runtime(m));
        h.append("<p class=\"note\">").append(ref == null ? "No reference strategy was named, so there are no relative figures. " : "")
                .append("Step times are wall-clock medians of the training steps; FLOPs are analytic (per step: total FLOPs over the steps "
                        + "taken, which falls as matrices freeze). Wall time covers training and evaluation of one run.</p>\n");

        h.append("<h2>Charts</h2>\n");
        if (charts.isEmpty()) {
            h.append("<p>No chart: no run finished with recorded data.</p>\n");
        }
        for (ReportCharts.RenderedChart c : charts) {
            h.append("<figure id=\"").append(esc(c.id())).append("\">\n<img width=\"").append(ReportCharts.displayWidth(c))
                    .append("\" alt=\"").append(esc(c.title()))
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(c.png())).append("\">\n")
                    .append("<figcaption><b>").append(esc(c.title())).append(".</b> ").append(esc(c.caption()))
                    .append("</figcaption>\n</figure>\n");
        }

        h.append("<h2>All metrics</h2>\n");
        for (String d : m.datasets()) {
            h.append("<h3>").append(esc(d)).append("</h3>\n");
            table(h, ReportTables.metrics(m, d));
        }

        h.append("<h2>Failed runs</h2>\n");
        ReportTables.Table failures = ReportTables.failures(m);
        if (failures.rows().isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            table(h, failures);
        }

        keyValues(h, "h2", ReportTables.environment(m));
        h.append("<h2>Provenance</h2>\n");
        for (ReportTables.KeyValues kv : ReportTables.provenance(m)) {
            keyValues(h, "h3", kv);
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void keyValues(StringBuilder h, String tag, ReportTables.KeyValues kv) {
        h.append('<').append(tag).append('>').append(esc(kv.title())).append("</").append(tag).append(">\n<dl>\n");
        for (Map.Entry<String, String> e : kv.entries().entrySet()) {
            h.append("<dt>").append(esc(e.getKey())).append("</dt><dd>").append(esc(e.getValue())).append("</dd>\n");
        }
        h.append("</dl>\n");
    }

    private static void table(StringBuilder h, ReportTables.Table t) {
        h.append("<table>\n<thead><tr>");
        for (String c : t.header()) {
            h.append("<th>").append(esc(c)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : t.rows()) {
            h.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                String c = row.get(i);
                boolean numeric = t.numeric().get(i);
                String cls = "failed".equals(c) ? "failed" : numeric ? "num" : null;
                h.append(cls == null ? "<td>" : "<td class=\"" + cls + "\">").append(esc(c)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    static String esc(String s) {
        if (s == null) {
            return ReportTables.MISSING;
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
