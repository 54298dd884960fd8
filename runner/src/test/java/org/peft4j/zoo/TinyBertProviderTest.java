package org.peft4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.peft4j.runner.ModelLoading;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.api.testing.MapHyperParameters;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.shape.ShapeInference;
import org.peft4j.zoo.models.TinyBertGraph;
import org.peft4j.zoo.models.TinyBertProvider;

/** The tiny-bert provider end to end: generated, written, read by the engine, run on ONNX Runtime. */
class TinyBertProviderTest {

    @TempDir
    Path cache;

    @Test
    void loadsAnEngineReadyEncoderThatComputesWhatTheGeneratorBuilt() throws Exception {
        TinyBertProvider provider = new TinyBertProvider();
        EncoderModel model = provider.load(MapHyperParameters.of(), ModelLoading.context(cache));
        assertEquals("tiny-bert", model.id());
        assertEquals(32, model.hiddenSize());
        assertTrue(model.usesTokenTypeIds());
        assertNull(model.tokenizerFile());
        Graph g = model.graph();
        assertEquals(OnnxModelIO.OPSET, g.opset(), "read back through the engine's reader, which upgrades it");
        List<LinearLayer> layers = model.linearLayers(g);
        assertEquals(12, layers.size());
        assertEquals("encoder.layer.1.output.dense", layers.get(11).module());
        assertEquals(64, layers.get(11).in());

        EncoderSessions.Batch batch = EncoderSessions.Batch.of(model.tokenizer(), 12,
                List.of(new String[] {"a tiny test sentence"}, new String[] {"first part", "second part"}));
        for (long id : batch.ids()) {
            assertTrue(id >= 0 && id < 1000, "folded id " + id);
        }
        assertEquals(2, batch.ids()[0], "[CLS] folds to 2");

        OnnxModelIO io = new OnnxModelIO();
        Graph specialised = ShapeInference.specialize(model.graph(), Map.of("input_ids", new long[] {2, 12}, "attention_mask",
                new long[] {2, 12}, "token_type_ids", new long[] {2, 12}));
        float[] viaProvider = EncoderSessions.run(io.toBytes(specialised), "last_hidden_state", batch, true);
        TinyBertGraph.Config defaults = new TinyBertGraph.Config(2, 32, 4, 64, 1000, 512, 42, 0.1);
        float[] viaGenerator = EncoderSessions.run(io.toBytes(TinyBertGraph.build(defaults)), "last_hidden_state", batch, true);
        assertEquals(2 * 12 * 32, viaProvider.length);
        assertTrue(EncoderSessions.maxAbsDiff(viaProvider, viaGenerator) <= 1e-5,
                "max difference " + EncoderSessions.maxAbsDiff(viaProvider, viaGenerator));
    }

    @Test
    void writesTheGeneratedFileOnceAndValidatesSizes() throws Exception {
        TinyBertProvider provider = new TinyBertProvider();
        provider.load(MapHyperParameters.of("seed", 3), ModelLoading.context(cache));
        Path file;
        try (var files = Files.list(cache)) {
            file = files.filter(p -> p.getFileName().toString().startsWith("tiny-bert-")).findFirst().orElseThrow();
        }
        var stamp = java.nio.file.attribute.FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(file, stamp);
        provider.load(MapHyperParameters.of("seed", 3), ModelLoading.context(cache));
        assertEquals(stamp, Files.getLastModifiedTime(file), "the same configuration reuses its file");

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> provider.load(MapHyperParameters.of("hidden", 30), ModelLoading.context(cache)));
        assertEquals("hidden", e.key());
        assertSame(ConfigurationException.class, assertThrows(ConfigurationException.class,
                () -> provider.load(MapHyperParameters.of("vocab", 5), ModelLoading.context(cache))).getClass());
    }
}
