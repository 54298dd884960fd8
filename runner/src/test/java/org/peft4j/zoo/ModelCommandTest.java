package org.peft4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.cli.Peft4jCli;
import org.junit.jupiter.api.extension.ExtendWith;
import org.peft4j.runner.cli.StagedPlugins;

/** {@code peft4j model info} on the generated tiny-bert, and its errors. */
@ExtendWith(StagedPlugins.class)
class ModelCommandTest {

    @TempDir
    static Path cache;

    record Outcome(int code, String out, String err) {
    }


    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--cache-dir";
        all[args.length + 1] = cache.toString();
        int code = Peft4jCli.execute(all, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void listsTheLayersAndTheExactParameterCount() {
        Outcome o = run("model", "info", "tiny-bert", "-p", "layers=3");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("tiny-bert (peft4j/tiny-bert, from peft4j (built-in)@"), o.out());
        assertTrue(o.out().contains("18 linear layers:"), o.out());
        assertTrue(o.out().matches("(?s).*\\n  encoder\\.layer\\.2\\.attention\\.self\\.query +32 x 32 *\\n.*"), o.out());
        assertTrue(o.out().matches("(?s).*\\n  encoder\\.layer\\.2\\.intermediate\\.dense +32 x 64 *\\n.*"), o.out());
        // embeddings: 1000*32 + 512*32 + 2*32 + LayerNorm 2*32 = 48,512
        // per layer: 4*(32*32+32) + (32*64+64) + (64*32+32) + two LayerNorms 4*32 = 8,544; three layers 25,632
        assertTrue(o.out().contains("parameters: 74,144 (0.1M)"), o.out());
    }

    @Test
    void unknownModelsAndMissingFilesAreClearErrors() {
        Outcome unknown = run("model", "info", "gpt-5");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown model 'gpt-5'") && unknown.err().contains("minilm-l6"), unknown.err());

        Outcome missing = run("model", "info", "onnx-file", "-p", "path=does-not-exist.onnx", "-p", "tokenizer=none.json");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("path: no such file") && missing.err().contains("does-not-exist.onnx"), missing.err());

        Outcome badKey = run("model", "info", "tiny-bert", "-p", "depth=3");
        assertEquals(2, badKey.code());
        assertTrue(badKey.err().contains("depth"), badKey.err());
    }
}
