package org.peft4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.peft4j.runner.ModelLoading;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.api.testing.MapHyperParameters;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.zoo.models.OnnxFileProvider;
import org.peft4j.zoo.models.TinyBertGraph;

/** The onnx-file provider on a user's export (here a generated one written by the engine) and its errors. */
class OnnxFileProviderTest {

    @TempDir
    Path dir;

    private Path onnx;
    private Path tokenizer;
    private final OnnxFileProvider provider = new OnnxFileProvider();

    @BeforeEach
    void files() throws IOException {
        onnx = dir.resolve("my-encoder.onnx");
        new OnnxModelIO().write(TinyBertGraph.build(TinyBertGraph.Config.small()), onnx);
        tokenizer = dir.resolve("tokenizer.json");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, tokenizer);
        }
    }

    private EncoderModel load(Object... params) throws IOException {
        return provider.load(MapHyperParameters.of(params), ModelLoading.context(dir.resolve("cache")));
    }

    @Test
    void loadsTheUsersExportInPlace() throws IOException {
        EncoderModel m = load("path", onnx.toString(), "tokenizer", tokenizer.toString());
        assertEquals("onnx-file", m.id());
        assertEquals("my-encoder", m.huggingFaceName());
        assertEquals(tokenizer, m.tokenizerFile());
        assertEquals(32, m.hiddenSize());
        Graph g = m.graph();
        assertEquals(12, m.linearLayers(g).size());
        assertEquals(101, m.tokenizer().encode("hello", null, 4).inputIds()[0]);
        assertEquals("org/me", load("path", onnx.toString(), "tokenizer", tokenizer.toString(), "hf-name", "org/me").huggingFaceName());
    }

    @Test
    void errorsNameTheKeyOrTheFile() throws IOException {
        ConfigurationException missing = assertThrows(ConfigurationException.class,
                () -> load("path", dir.resolve("nope.onnx").toString(), "tokenizer", tokenizer.toString()));
        assertEquals("path", missing.key());
        ConfigurationException required = assertThrows(ConfigurationException.class, () -> load("tokenizer", tokenizer.toString()));
        assertEquals("path", required.key());

        Path notOnnx = Files.writeString(dir.resolve("text.onnx"), "not a model");
        IOException bad = assertThrows(IOException.class, () -> load("path", notOnnx.toString(), "tokenizer", tokenizer.toString()));
        assertTrue(bad.getMessage().contains("text.onnx"), bad.getMessage());

        IOException output = assertThrows(IOException.class,
                () -> load("path", onnx.toString(), "tokenizer", tokenizer.toString(), "output", "pooler_output"));
        assertTrue(output.getMessage().contains("no output 'pooler_output'") && output.getMessage().contains("my-encoder.onnx"),
                output.getMessage());

        Path brokenTokenizer = Files.writeString(dir.resolve("broken.json"), "{}");
        IOException tok = assertThrows(IOException.class, () -> load("path", onnx.toString(), "tokenizer", brokenTokenizer.toString()));
        assertTrue(tok.getMessage().contains("broken.json"), tok.getMessage());
    }
}
