package org.peft4j.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GradientBenchCommandTest {

    @Test
    void smallLayerPrintsForwardBackwardAndRatio() {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new GradientBenchCommand());
        cmd.setOut(new PrintWriter(out));
        int rc = cmd.execute("--batch=2", "--seq=8", "--hidden=32", "--heads=4", "--ffn=64", "--rank=2", "--threads=1", "--warmup=0",
                "--runs=3");
        assertEquals(0, rc, out.toString());
        String text = out.toString();
        assertTrue(text.contains("rank-2 adapters on 6 linear layers"), text);
        assertTrue(text.contains("forward:") && text.contains("forward+backward:") && text.contains("ratio:"), text);
    }

    @Test
    void badSizesAreUsageErrors() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new GradientBenchCommand());
        cmd.setErr(new PrintWriter(err));
        assertEquals(2, cmd.execute("--hidden=30", "--heads=4"));
        assertTrue(err.toString().contains("multiple"), err.toString());
    }
}
