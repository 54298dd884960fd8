package org.peft4j.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.report.ResultsJson;
import org.peft4j.runner.report.ReportFixturesAccess;
import picocli.CommandLine;

class ReportCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ReportCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void rendersTheReportsAndAMarkdownCopy() throws IOException {
        ResultsJson.write(ReportFixturesAccess.small(), dir.resolve("results.json"));
        Path md = dir.resolve("docs/results.md");
        assertEquals(ExitCodes.OK, run(dir.toString(), "--markdown", md.toString()), err.toString());
        assertTrue(Files.isRegularFile(dir.resolve("report.md")) && Files.isRegularFile(dir.resolve("report.html")));
        assertTrue(Files.isRegularFile(dir.resolve("report-step-time.png")));
        assertTrue(Files.readString(md).contains("![Median training-step time per strategy](results-step-time.png)"));
        assertTrue(Files.isRegularFile(md.resolveSibling("results-step-time.png")));
        assertTrue(out.toString().contains("rendered 6 runs of 'small'"), out.toString());
        assertTrue(out.toString().contains("with 7 chart images"), out.toString());
    }

    @Test
    void acceptsTheResultsFileItself() throws IOException {
        ResultsJson.write(ReportFixturesAccess.small(), dir.resolve("results.json"));
        assertEquals(ExitCodes.OK, run(dir.resolve("results.json").toString()), err.toString());
        assertTrue(Files.isRegularFile(dir.resolve("report.html")));
    }

    @Test
    void missingOrInvalidResultsAreUsageErrors() throws IOException {
        assertEquals(ExitCodes.USAGE, run(dir.toString()));
        assertTrue(err.toString().contains("results.json does not exist"), err.toString());
        Files.writeString(dir.resolve("results.json"), "{\"schemaVersion\": 2}");
        assertEquals(ExitCodes.USAGE, run(dir.toString()));
        assertTrue(err.toString().contains("schemaVersion 2 is not supported"), err.toString());
        assertEquals(ExitCodes.USAGE, run(dir.resolve("nowhere").toString()));
        assertTrue(err.toString().contains("is not a comparison directory"), err.toString());
    }

    @Test
    void registeredAsAPeft4jSubcommand() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertEquals(ExitCodes.USAGE, Peft4jCli.execute(new String[] {"report", dir.toString()}, new PrintWriter(o, true), new PrintWriter(e, true)));
        assertTrue(e.toString().contains("results.json does not exist"), e.toString());
    }
}
