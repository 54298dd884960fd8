package org.peft4j.runner.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.peft4j.runner.report.ReportCharts;
import org.peft4j.runner.report.ReportWriter;
import org.peft4j.runner.report.ResultsFormatException;
import org.peft4j.runner.report.ResultsJson;
import org.peft4j.runner.results.ComparisonResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code peft4j report RUN_DIR [--markdown FILE]}: renders the reports of an existing comparison again from its
 * {@code results.json}, without training anything.
 *
 * <p>{@code RUN_DIR} is a comparison directory (or its {@code results.json}); its {@code report.md}, chart images and
 * {@code report.html} are rewritten, {@code results.json} is left as it is. With {@code --markdown FILE} the Markdown
 * report is also written to {@code FILE}, with its chart images next to it as {@code <FILE stem>-<chart>.png}. Exit
 * codes: 0 on success, 2 when the results file is missing or invalid, 1 when a report cannot be written.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render report.md (with its PNG charts) and report.html of a comparison directory again from its results.json.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A comparison directory written by 'peft4j compare', or its results.json.")
    Path runDir;

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "Also write the Markdown report to FILE, with its chart images next to it as <FILE stem>-<chart>.png.")
    Path markdown;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.isRegularFile(runDir) ? runDir.toAbsolutePath().getParent() : runDir;
        Path json = Files.isRegularFile(runDir) ? runDir : runDir.resolve(ReportWriter.RESULTS_JSON);
        if (!Files.isDirectory(dir)) {
            err.println("error: " + runDir + " is not a comparison directory (expected a directory holding " + ReportWriter.RESULTS_JSON + ")");
            return ExitCodes.USAGE;
        }
        if (!Files.isRegularFile(json)) {
            err.println("error: " + json + " does not exist: expected the " + ReportWriter.RESULTS_JSON + " that 'peft4j compare' writes");
            return ExitCodes.USAGE;
        }
        ComparisonResults results;
        try {
            results = ResultsJson.read(json);
        } catch (ResultsFormatException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        List<ReportCharts.RenderedChart> charts = ReportCharts.render(results);
        List<Path> written = ReportWriter.writeReports(results, dir, charts);
        out.println("rendered " + results.runs().size() + " runs of '" + results.name() + "' from " + json);
        for (Path p : written) {
            out.println("  " + p);
        }
        if (markdown != null) {
            List<Path> md = ReportWriter.writeMarkdown(results, markdown, charts);
            out.println("  " + md.get(0) + " (with " + (md.size() - 1) + " chart images next to it)");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
