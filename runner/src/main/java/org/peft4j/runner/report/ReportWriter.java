package org.peft4j.runner.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.peft4j.runner.results.ComparisonResults;

/**
 * Writes the results and reports of a comparison into its directory, each file atomically.
 *
 * <p>The files: {@code results.json} ({@link ResultsJson}), {@code report.html} ({@link HtmlReport}, self-contained),
 * {@code report.md} ({@link MarkdownReport}) and, next to it, the PNG chart images the Markdown links to, named
 * {@code report-<chart id>.png}. A Markdown report written elsewhere ({@link #writeMarkdown}) names its images
 * {@code <file stem>-<chart id>.png}. Chart images of an earlier rendering that the new one no longer has are removed;
 * only files named like chart images with that stem are ever removed.
 */
public final class ReportWriter {

    /** The results file's name in a comparison directory. */
    public static final String RESULTS_JSON = "results.json";
    /** The Markdown report's name in a comparison directory. */
    public static final String REPORT_MD = "report.md";
    /** The HTML report's name in a comparison directory. */
    public static final String REPORT_HTML = "report.html";

    private static final Pattern CHART_FILE = Pattern.compile("(loss-|trainable-|validation-|metric-vs-params-|step-time|freeze-).*\\.png");

    private ReportWriter() {
    }

    /**
     * Writes {@code results.json}, {@code report.md} with its chart images, and {@code report.html} into
     * {@code comparisonDir} (created if missing).
     *
     * @return the paths of {@code results.json}, {@code report.md} and {@code report.html}, in that order (the chart
     *         images lie next to {@code report.md})
     * @throws IOException if a file cannot be written
     */
    public static List<Path> writeAll(ComparisonResults results, Path comparisonDir) throws IOException {
        Path json = comparisonDir.resolve(RESULTS_JSON);
        ResultsJson.write(results, json);
        List<Path> reports = writeReports(results, comparisonDir);
        return List.of(json, reports.get(0), reports.get(1));
    }

    /**
     * Re-renders {@code report.md} with its chart images and {@code report.html} into {@code comparisonDir}, leaving
     * {@code results.json} alone.
     *
     * @return the paths of {@code report.md} and {@code report.html}
     * @throws IOException if a file cannot be written
     */
    public static List<Path> writeReports(ComparisonResults results, Path comparisonDir) throws IOException {
        return writeReports(results, comparisonDir, ReportCharts.render(results));
    }

    /**
     * As {@link #writeReports(ComparisonResults, Path)}, with charts already rendered by {@link ReportCharts#render}.
     *
     * @return the paths of {@code report.md} and {@code report.html}
     * @throws IOException if a file cannot be written
     */
    public static List<Path> writeReports(ComparisonResults results, Path comparisonDir, List<ReportCharts.RenderedChart> charts)
            throws IOException {
        List<Path> md = writeMarkdown(results, comparisonDir.resolve(REPORT_MD), charts);
        Path html = comparisonDir.resolve(REPORT_HTML);
        AtomicFiles.writeString(html, HtmlReport.render(results, charts));
        return List.of(md.get(0), html);
    }

    /**
     * Writes the Markdown report to {@code file} with its chart images next to it ({@code <stem>-<chart id>.png}).
     *
     * @return the Markdown file's path followed by those of its chart images
     * @throws IOException if a file cannot be written
     */
    public static List<Path> writeMarkdown(ComparisonResults results, Path file) throws IOException {
        return writeMarkdown(results, file, ReportCharts.render(results));
    }

    /**
     * As {@link #writeMarkdown(ComparisonResults, Path)}, with charts already rendered by {@link ReportCharts#render}.
     *
     * @return the Markdown file's path followed by those of its chart images
     * @throws IOException if a file cannot be written
     */
    public static List<Path> writeMarkdown(ComparisonResults results, Path file, List<ReportCharts.RenderedChart> charts) throws IOException {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        String name = absolute.getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        List<MarkdownReport.ChartLink> links = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ReportCharts.RenderedChart c : charts) {
            String imageName = stem + "-" + c.id() + ".png";
            Path image = dir.resolve(imageName);
            AtomicFiles.write(image, c.png());
            images.add(image);
            names.add(imageName);
            links.add(new MarkdownReport.ChartLink(c.title(), c.caption(), imageName));
        }
        AtomicFiles.writeString(absolute, MarkdownReport.render(results, links));
        removeStaleCharts(dir, stem, names);
        List<Path> out = new ArrayList<>();
        out.add(absolute);
        out.addAll(images);
        return List.copyOf(out);
    }

    private static void removeStaleCharts(Path dir, String stem, Set<String> keep) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, stem + "-*.png")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (!keep.contains(n) && CHART_FILE.matcher(n.substring(stem.length() + 1)).matches() && Files.isRegularFile(f)) {
                    Files.delete(f);
                }
            }
        }
    }
}
