package org.peft4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.cli.Peft4jCli;
import org.junit.jupiter.api.extension.ExtendWith;
import org.peft4j.runner.cli.StagedPlugins;

/** {@code peft4j model info} on the two bundled pre-trained encoders. */
@ExtendWith(StagedPlugins.class)
class ModelInfoIT {

    private static final Pattern LAYER = Pattern.compile("(?m)^  (encoder\\.layer\\.\\d+\\.[a-z.]+)\\s+(\\d+) x (\\d+)\\s*$");

    @TempDir
    static Path cache;


    private static String info(String id) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Peft4jCli.execute(new String[] {"model", "info", id, "--cache-dir", cache.toString()}, new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    private static int layers(String out) {
        Matcher m = LAYER.matcher(out);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void miniLmHas36NamedLinearLayersAnd22_6MParameters() {
        String out = info("minilm-l6");
        System.out.print(out);
        assertEquals(36, layers(out), out);
        for (String suffix : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                "intermediate.dense", "output.dense"}) {
            for (int layer = 0; layer < 6; layer++) {
                assertTrue(Pattern.compile("(?m)^  encoder\\.layer\\." + layer + "\\." + Pattern.quote(suffix) + "\\s").matcher(out).find(),
                        "layer " + layer + " " + suffix + " in\n" + out);
            }
        }
        assertTrue(out.contains("  encoder.layer.0.intermediate.dense        384 x 1536"), out);
        assertTrue(out.contains("  encoder.layer.5.output.dense             1536 x 384"), out);
        assertTrue(out.contains("parameters: 22,565,376 (22.6M) in 101 tensors"), out);
    }

    @Test
    void bgeSmallHas72LinearLayers() {
        String out = info("bge-small-en-v1.5");
        assertEquals(72, layers(out), out);
        assertTrue(out.contains("parameters: 33,212,160 (33.2M)"), out);
    }
}
