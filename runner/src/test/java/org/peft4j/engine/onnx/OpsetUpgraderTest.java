package org.peft4j.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.ort.GraphRunner;
import org.peft4j.zoo.models.TinyBertGraph;

/** The upgraded graph computes in ONNX Runtime exactly what the opset-11 original computes. */
class OpsetUpgraderTest {

    @Test
    void changedSignaturesAreRewrittenAndResultsAgree() {
        Graph g = new Graph("old", 11);
        g.addInput(new ValueInfo("x", DataType.FLOAT, new long[] {2, 3, 4}));
        String sq = add(g, "Unsqueeze", List.of("x"), Attribute.ints("axes", 0));
        String un = add(g, "Squeeze", List.of(sq), Attribute.ints("axes", 0));
        String rs = add(g, "ReduceSum", List.of(un), Attribute.ints("axes", 2), new Attribute.Int("keepdims", 1));
        String rm = add(g, "ReduceMean", List.of(un), Attribute.ints("axes", 1), new Attribute.Int("keepdims", 1));
        String soft = add(g, "Softmax", List.of(un), new Attribute.Int("axis", 1));
        String logSoft = add(g, "LogSoftmax", List.of(un), new Attribute.Int("axis", 2));
        Node split = new Node("split", "Split", "", List.of(un), List.of("s0", "s1"),
                List.of(new Attribute.Int("axis", 2), Attribute.ints("split", 1, 3)));
        g.addNode(split);
        String drop = add(g, "Dropout", List.of(un), new Attribute.Float("ratio", 0.3f));
        String sum = add(g, "Add", List.of(add(g, "Add", List.of(rs, rm)), "s0"));
        String all = add(g, "Add", List.of(add(g, "Add", List.of(soft, logSoft)), drop));
        g.addOutput(new ValueInfo(sum, DataType.FLOAT, new long[] {2, 3, 4}));
        g.addOutput(new ValueInfo(all, DataType.FLOAT, new long[] {2, 3, 4}));
        g.addOutput(new ValueInfo("s1", DataType.FLOAT, new long[] {2, 3, 3}));

        Map<String, Tensor> feed = Map.of("x", random("x", 2, 3, 4));
        Map<String, Tensor> before = run(g, feed);
        for (int target : new int[] {13, 17, 18, 20}) {
            Graph up = g.copy();
            OpsetUpgrader.upgrade(up, target);
            assertEquals(target, up.opset());
            Map<String, Tensor> after = run(up, feed);
            for (String k : before.keySet()) {
                assertArrayEquals(before.get(k).floats(), after.get(k).floats(), 1e-6f, k + " at opset " + target);
            }
            assertTrue(up.nodes().stream().noneMatch(n -> n.has("axes") && !n.opType().equals("ReduceMean")),
                    "axes moved to inputs at " + target);
            if (target >= 18) {
                assertTrue(up.nodes().stream().noneMatch(n -> n.has("axes")), "ReduceMean axes are an input from opset 18");
            }
        }
    }

    @Test
    void tinyBertExportRunsTheSameAfterUpgrade() {
        Graph g = TinyBertGraph.build(TinyBertGraph.Config.small());
        Graph up = g.copy();
        OpsetUpgrader.upgrade(up, OnnxModelIO.OPSET);
        assertTrue(up.nodes().stream().filter(n -> n.opType().equals("Softmax")).allMatch(n -> n.intAttr("axis", 0) == -1),
                "Softmax over the last axis keeps one node");
        long[] shape = {2, 5};
        Map<String, Tensor> feed = Map.of("input_ids", Tensor.ofLongs("input_ids", shape, new long[] {1, 5, 7, 9, 2, 3, 4, 8, 0, 0}),
                "attention_mask", Tensor.ofLongs("attention_mask", shape, new long[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}),
                "token_type_ids", Tensor.ofLongs("token_type_ids", shape, new long[10]));
        assertArrayEquals(run(g, feed).get("last_hidden_state").floats(), run(up, feed).get("last_hidden_state").floats(), 1e-5f);
    }

    @Test
    void oldAndNewerOpsetsAreRejected() {
        Graph old = new Graph("old", 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpsetUpgrader.upgrade(old, 17));
        assertTrue(e.getMessage().contains("opset 9"), e.getMessage());
        Graph newer = new Graph("newer", 19);
        assertThrows(IllegalArgumentException.class, () -> OpsetUpgrader.upgrade(newer, 17));
    }

    private static String add(Graph g, String op, List<String> inputs, Attribute... attributes) {
        return g.op(op, inputs, attributes);
    }

    private static Tensor random(String name, long... shape) {
        Random r = new Random(1);
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.ofFloats(name, shape, v);
    }

    private static Map<String, Tensor> run(Graph g, Map<String, Tensor> feed) {
        try (GraphRunner r = new GraphRunner(g, 1, OrtSession.SessionOptions.OptLevel.NO_OPT)) {
            return r.run(feed);
        }
    }
}
