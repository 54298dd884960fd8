package org.peft4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.peft4j.runner.ModelLoading;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.api.testing.MapHyperParameters;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.shape.ShapeInference;
import org.peft4j.zoo.models.MiniLmL6Provider;

/**
 * The imported all-MiniLM-L6-v2: three sentences (one of them a pair) tokenized with its
 * tokenizer, run through the graph as peft4j reads, upgrades, specialises and re-writes it, and
 * through the original ONNX file directly; the hidden states agree to 1e-5.
 */
class MiniLmImportIT {

    private static final int T = 24;

    @TempDir
    Path cache;

    @Test
    void rewrittenGraphComputesTheSameHiddenStatesAsTheOriginalFile() throws Exception {
        EncoderModel model = new MiniLmL6Provider().load(MapHyperParameters.of(), ModelLoading.context(cache));
        assertEquals(384, model.hiddenSize());
        assertEquals(36, model.linearLayers(model.graph()).size());

        EncoderSessions.Batch batch = EncoderSessions.Batch.of(model.tokenizer(), T, List.of(
                new String[] {"The movie was a complete waste of time."},
                new String[] {"Great phone, the battery lasts for days!"},
                new String[] {"Is this the same question?", "Is it the very same question?"}));
        assertEquals(3 * T, batch.ids().length);
        assertEquals(101, batch.ids()[0]);

        Graph g = model.graph();
        assertEquals(OnnxModelIO.OPSET, g.opset());
        ShapeInference.specialize(g, Map.of("input_ids", new long[] {3, T}, "attention_mask", new long[] {3, T},
                "token_type_ids", new long[] {3, T}));
        float[] peft4j = EncoderSessions.run(new OnnxModelIO().toBytes(g), model.outputName(), batch, true);
        float[] original = EncoderSessions.run(cache.resolve("all-minilm-l6-v2.onnx"), "last_hidden_state", batch, true);
        assertEquals(3 * T * 384, original.length);
        double diff = EncoderSessions.maxAbsDiff(peft4j, original);
        System.out.printf("MiniLM import: max |peft4j - original| over last_hidden_state [3, %d, 384] = %.3g%n", T, diff);
        assertTrue(diff <= 1e-5, "max difference " + diff);
        double scale = 0;
        for (float v : original) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0.1, "the hidden states are not trivially zero");
    }
}
