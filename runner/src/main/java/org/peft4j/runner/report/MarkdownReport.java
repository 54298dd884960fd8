package org.peft4j.runner.report;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.runner.results.ComparisonResults;

/**
 * Renders a comparison as GitHub-flavoured Markdown ({@code report.md}).
 *
 * <p>Sections, in order: title with the config's description and an overview line; the paper-style results table
 * (method, trainable parameters time-averaged with initial → final, head parameters, the primary metric per dataset
 * as mean ± std, the average over datasets); the runtime and FLOPs table relative to the reference strategy (median
 * step time, relative step time, FLOPs per step, total FLOPs, relative FLOPs, wall time, peak memory); every metric
 * per dataset; the charts when links to their images are given; the failed runs with their reasons; the environment;
 * and per strategy the provenance (extension ids with plugin origins and effective hyperparameters). Table cells are
 * escaped so that a {@code |} or a line break in a value cannot break the table.
 */
public final class MarkdownReport {

    /**
     * A chart image the report links to.
     *
     * @param title the chart's title (the image's alt text)
     * @param caption one sentence under the image
     * @param href the image's path relative to the Markdown file
     */
    public record ChartLink(String title, String caption, String href) {
    }

    private MarkdownReport() {
    }

    /** The report without charts. */
    public static String render(ComparisonResults results) {
        return render(results, List.of());
    }

    /** The report with a Charts section linking to {@code charts} (none when empty). */
    public static String render(ComparisonResults results, List<ChartLink> charts) {
        Objects.requireNonNull(charts, "charts");
        ReportModel m = new ReportModel(results);
        StringBuilder md = new StringBuilder();
        md.append("# Comparison: ").append(inline(results.name())).append("\n\n");
        if (results.description() != null && !results.description().isBlank()) {
            md.append(inline(results.description())).append("\n\n");
        }
        md.append(inline(ReportTables.overview(m))).append("\n\n");

        md.append("## Results\n\n");
        table(md, ReportTables.main(m));
        md.append('\n').append(inline(ReportTables.mainNote(m))).append("\n\n");

        String ref = results.referenceStrategy();
        md.append("## Runtime and FLOPs").append(ref == null ? "" : " relative to " + inline(ref)).append("\n\n");
        table(md, ReportTables.runtime(m));
        md.append('\n').append(ref == null ? "No reference strategy was named, so there are no relative figures. " : "")
                .append("Step times are wall-clock medians of the training steps; FLOPs are analytic (per step: total FLOPs over the "
                        + "steps taken, which falls as matrices freeze). Wall time covers training and evaluation of one run.\n\n");

        md.append("## All metrics\n\n");
        for (String d : m.datasets()) {
            md.append("### ").append(inline(d)).append("\n\n");
            table(md, ReportTables.metrics(m, d));
            md.append('\n');
        }

        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            for (ChartLink c : charts) {
                md.append("![").append(inline(c.title())).append("](").append(c.href().replace(" ", "%20")).append(")\n\n");
                md.append('*').append(inline(c.caption())).append("*\n\n");
            }
        }

        md.append("## Failed runs\n\n");
        ReportTables.Table failures = ReportTables.failures(m);
        if (failures.rows().isEmpty()) {
            md.append("None.\n\n");
        } else {
            table(md, failures);
            md.append('\n');
        }

        keyValues(md, "## ", ReportTables.environment(m));
        md.append("## Provenance\n\n");
        for (ReportTables.KeyValues kv : ReportTables.provenance(m)) {
            keyValues(md, "### ", kv);
        }
        return md.toString();
    }

    private static void keyValues(StringBuilder md, String heading, ReportTables.KeyValues kv) {
        md.append(heading).append(inline(kv.title())).append("\n\n");
        for (Map.Entry<String, String> e : kv.entries().entrySet()) {
            md.append("- **").append(inline(e.getKey())).append("**: ").append(inline(e.getValue())).append('\n');
        }
        md.append('\n');
    }

    private static void table(StringBuilder md, ReportTables.Table t) {
        md.append('|');
        for (String h : t.header()) {
            md.append(' ').append(cell(h)).append(" |");
        }
        md.append("\n|");
        for (boolean numeric : t.numeric()) {
            md.append(numeric ? " ---: |" : " --- |");
        }
        md.append('\n');
        for (List<String> row : t.rows()) {
            md.append('|');
            for (String c : row) {
                md.append(' ').append(cell(c)).append(" |");
            }
            md.append('\n');
        }
    }

    private static String cell(String s) {
        return inline(s).replace("|", "\\|");
    }

    /** One line of text with Markdown's active characters that could garble it escaped. */
    private static String inline(String s) {
        if (s == null) {
            return ReportTables.MISSING;
        }
        String one = ReportTables.oneLine(s);
        StringBuilder out = new StringBuilder(one.length());
        for (char c : one.toCharArray()) {
            if (c == '*' || c == '_' || c == '`' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
