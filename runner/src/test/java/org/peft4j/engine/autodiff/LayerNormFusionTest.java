package org.peft4j.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.onnx.OpsetUpgrader;
import org.peft4j.engine.ort.GraphRunner;
import org.peft4j.engine.shape.ShapeInference;
import org.peft4j.zoo.models.TinyBertGraph;

class LayerNormFusionTest {

    @Test
    void spelledOutLayerNormsBecomeOneNodeEachAndComputeTheSame() {
        Graph g = TinyBertGraph.build(TinyBertGraph.Config.small());
        OpsetUpgrader.upgrade(g, OnnxModelIO.OPSET);
        long[] s = {2, 6};
        ShapeInference.specialize(g, Map.of("input_ids", s, "attention_mask", s, "token_type_ids", s));
        Graph fused = g.copy();
        assertEquals(5, LayerNormFusion.apply(fused), "embeddings + two per layer");
        assertEquals(5, fused.nodes().stream().filter(n -> n.opType().equals("LayerNormalization")).count());
        assertEquals(0, fused.nodes().stream().filter(n -> n.opType().equals("Sqrt") || n.opType().equals("Pow")).count());
        assertEquals(0, LayerNormFusion.apply(fused), "idempotent");
        Map<String, Tensor> feed = Map.of("input_ids", Tensor.ofLongs("input_ids", s, new long[] {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0, 0}),
                "attention_mask", Tensor.ofLongs("attention_mask", s, new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}),
                "token_type_ids", Tensor.ofLongs("token_type_ids", s, new long[12]));
        try (GraphRunner a = new GraphRunner(g, 1, OrtSession.SessionOptions.OptLevel.NO_OPT);
                GraphRunner b = new GraphRunner(fused, 1, OrtSession.SessionOptions.OptLevel.NO_OPT)) {
            assertArrayEquals(a.run(feed).get("last_hidden_state").floats(), b.run(feed).get("last_hidden_state").floats(), 2e-5f);
        }
    }

    @Test
    void patternsWhoseIntermediatesAreUsedElsewhereStay() {
        Graph g = TinyBertGraph.build(TinyBertGraph.Config.small());
        OpsetUpgrader.upgrade(g, OnnxModelIO.OPSET);
        long[] s = {1, 4};
        ShapeInference.specialize(g, Map.of("input_ids", s, "attention_mask", s, "token_type_ids", s));
        g.addOutput(new org.peft4j.api.graph.ValueInfo("/embeddings/LayerNorm/Sqrt_output_0", org.peft4j.api.graph.DataType.FLOAT,
                new long[] {1, 4, 1}));
        assertEquals(4, LayerNormFusion.apply(g));
    }
}
