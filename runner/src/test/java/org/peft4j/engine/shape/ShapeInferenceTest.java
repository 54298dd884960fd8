package org.peft4j.engine.shape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.onnx.OpsetUpgrader;
import org.peft4j.engine.ort.GraphRunner;
import org.peft4j.zoo.models.TinyBertGraph;

class ShapeInferenceTest {

    private static Graph tinyBert() {
        Graph g = TinyBertGraph.build(TinyBertGraph.Config.small());
        OpsetUpgrader.upgrade(g, OnnxModelIO.OPSET);
        return g;
    }

    private static Map<String, long[]> batch(long b, long t) {
        return Map.of("input_ids", new long[] {b, t}, "attention_mask", new long[] {b, t}, "token_type_ids", new long[] {b, t});
    }

    @Test
    void symbolicShapesPropagateAsUnknownExtents() {
        Map<String, ValueInfo> infos = ShapeInference.infer(tinyBert());
        assertArrayEquals(new long[] {-1, -1, 32}, infos.get("last_hidden_state").shape());
        assertEquals(4, infos.get("/encoder/layer.0/attention/self/Softmax_output_0").rank());
        assertEquals(DataType.INT64, infos.get("/embeddings/Shape_output_0").type());
    }

    @Test
    void specialiseFoldsShapeArithmeticAndFixesEveryExtent() {
        Graph g = tinyBert();
        ShapeInference.specialize(g, batch(3, 7));
        Set<String> folded = Set.of("Shape", "Gather", "Concat", "Constant", "Slice");
        for (Node n : g.nodes()) {
            if (n.opType().equals("Gather")) {
                assertTrue(g.initializer(n.input(0)) != null && g.initializer(n.input(0)).type() == DataType.FLOAT, "only embedding lookups remain: " + n);
            } else {
                assertTrue(!folded.contains(n.opType()), "folded away: " + n);
            }
            if (n.opType().equals("Reshape")) {
                assertNotNull(g.initializer(n.input(1)), "constant Reshape shape: " + n);
            }
        }
        Map<String, ValueInfo> infos = ShapeInference.infer(g);
        assertTrue(ShapeInference.isStatic(infos));
        assertArrayEquals(new long[] {3, 7, 32}, g.outputs().get(0).shape());
        assertArrayEquals(new long[] {1, 7}, g.initializer("/embeddings/Slice_output_0").shape());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6}, g.initializer("/embeddings/Slice_output_0").longs());
        assertTrue(g.initializers().keySet().stream().noneMatch(k -> k.equals("embeddings.position_ids")), "unused buffer pruned");
        assertArrayEquals(new long[] {3, 7, 4, 8}, g.initializer("/encoder/layer.0/attention/self/Concat_output_0").longs());
    }

    @Test
    void specialisedGraphComputesTheSameAsTheOriginal() {
        Graph original = tinyBert();
        Graph special = original.copy();
        ShapeInference.specialize(special, batch(2, 4));
        long[] s = {2, 4};
        Map<String, Tensor> feed = Map.of("input_ids", Tensor.ofLongs("input_ids", s, new long[] {3, 1, 4, 1, 5, 9, 2, 6}),
                "attention_mask", Tensor.ofLongs("attention_mask", s, new long[] {1, 1, 1, 1, 1, 1, 0, 0}),
                "token_type_ids", Tensor.ofLongs("token_type_ids", s, new long[] {0, 0, 1, 1, 0, 1, 1, 1}));
        try (GraphRunner a = new GraphRunner(original, 1, OrtSession.SessionOptions.OptLevel.NO_OPT);
                GraphRunner b = new GraphRunner(special, 1, OrtSession.SessionOptions.OptLevel.NO_OPT)) {
            assertArrayEquals(a.run(feed).get("last_hidden_state").floats(), b.run(feed).get("last_hidden_state").floats(), 1e-6f);
        }
    }

    @Test
    void operatorShapes() {
        Graph g = new Graph("ops", 17);
        g.addInput(new ValueInfo("a", DataType.FLOAT, new long[] {4, 3}));
        g.addInput(new ValueInfo("x", DataType.FLOAT, new long[] {2, 5, 6}));
        g.addInput(new ValueInfo("ids", DataType.INT64, new long[] {2, 5}));
        g.putInitializer(Tensor.ofFloats("w", new long[] {5, 4}, new float[20]));
        g.putInitializer(Tensor.vector("st", 5, 0));
        g.putInitializer(Tensor.vector("en", 0, 6));
        g.putInitializer(Tensor.vector("ax", 1, 2));
        g.putInitializer(Tensor.vector("sp", -2, 2));
        g.putInitializer(Tensor.vector("shape", 0, -1));
        g.putInitializer(Tensor.vector("pads", 0, 1, 0, 0, 2, 0));
        g.putInitializer(Tensor.ofLongs("depth", new long[0], new long[] {10}));
        g.putInitializer(Tensor.ofFloats("onoff", new long[] {2}, new float[] {0, 1}));
        String gemm = g.op("Gemm", List.of("a", "w"), new Attribute.Int("transA", 1), new Attribute.Int("transB", 1));
        String slice = g.op("Slice", List.of("x", "st", "en", "ax", "sp"));
        String reshape = g.op("Reshape", List.of("x", "shape"));
        String pad = g.op("Pad", List.of("x", "pads"));
        String oneHot = g.op("OneHot", List.of("ids", "depth", "onoff"));
        String red = g.op("ReduceMean", List.of("x"), Attribute.ints("axes", 1), new Attribute.Int("keepdims", 0));
        String mm = g.op("MatMul", List.of("x", g.op("Transpose", List.of("x"), Attribute.ints("perm", 0, 2, 1))));
        Map<String, ValueInfo> i = ShapeInference.infer(g);
        assertArrayEquals(new long[] {3, 5}, i.get(gemm).shape());
        assertArrayEquals(new long[] {2, 2, 3}, i.get(slice).shape());
        assertArrayEquals(new long[] {2, 30}, i.get(reshape).shape());
        assertArrayEquals(new long[] {2, 8, 6}, i.get(pad).shape());
        assertArrayEquals(new long[] {2, 5, 10}, i.get(oneHot).shape());
        assertEquals(DataType.FLOAT, i.get(oneHot).type());
        assertArrayEquals(new long[] {2, 6}, i.get(red).shape());
        assertArrayEquals(new long[] {2, 5, 5}, i.get(mm).shape());
    }

    @Test
    void foldingEvaluatesIntegerSubgraphs() {
        Graph g = new Graph("fold", 17);
        g.addInput(new ValueInfo("x", DataType.FLOAT, new long[] {-1, 6}));
        String shape = g.op("Shape", List.of("x"));
        g.putInitializer(Tensor.ofLongs("zero", new long[0], new long[] {0}));
        g.putInitializer(Tensor.ofLongs("two", new long[0], new long[] {2}));
        String rows = g.op("Gather", List.of(shape, "zero"));
        String rng = g.op("Range", List.of("zero", rows, g.op("Div", List.of("two", "two"))));
        String eq = g.op("Equal", List.of(rng, "two"));
        String where = g.op("Where", List.of(eq, g.op("Neg", List.of(rng)), rng));
        String cast = g.op("Cast", List.of(where), new Attribute.Int("to", DataType.FLOAT.onnxCode()));
        String filled = g.op("ConstantOfShape", List.of(g.op("Unsqueeze", List.of(rows, "zero"))),
                new Attribute.TensorValue("value", Tensor.ofLongs("", new long[] {1}, new long[] {7})));
        g.addOutput(new ValueInfo(cast, DataType.FLOAT, new long[] {-1}));
        g.addOutput(new ValueInfo(filled, DataType.INT64, new long[] {-1}));
        ShapeInference.specialize(g, Map.of("x", new long[] {4, 6}));
        assertEquals(0, g.nodes().size(), g.nodes().toString());
        assertArrayEquals(new float[] {0, 1, -2, 3}, g.initializer(cast).floats());
        assertArrayEquals(new long[] {7, 7, 7, 7}, g.initializer(filled).longs());
    }

    @Test
    void errorsNameTheNodeAndTheProblem() {
        Graph g = new Graph("bad", 17);
        g.addInput(new ValueInfo("a", DataType.FLOAT, new long[] {2, 3}));
        g.addInput(new ValueInfo("b", DataType.FLOAT, new long[] {4, 5}));
        g.addNode(new Node("mm", "MatMul", "", List.of("a", "b"), List.of("y"), List.of()));
        ShapeInferenceException e = assertThrows(ShapeInferenceException.class, () -> ShapeInference.infer(g));
        assertTrue(e.getMessage().contains("'mm' (MatMul)") && e.getMessage().contains("[2, 3]"), e.getMessage());

        Graph u = new Graph("unknown", 17);
        u.addInput(new ValueInfo("a", DataType.FLOAT, new long[] {2}));
        u.addNode(new Node("weird", "NotAnOperator", "", List.of("a"), List.of("y"), List.of()));
        ShapeInferenceException e2 = assertThrows(ShapeInferenceException.class, () -> ShapeInference.infer(u));
        assertTrue(e2.getMessage().contains("NotAnOperator"), e2.getMessage());

        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> ShapeInference.specialize(tinyBert(), Map.of("input_ids", new long[] {2, 3, 4})));
        assertTrue(e3.getMessage().contains("input_ids"), e3.getMessage());
    }
}
