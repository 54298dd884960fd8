package org.peft4j.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;

/** Finite-difference checks of MatMul, Gemm, Gather and the shape-moving operators. */
class TensorOpGradientTest {

    @Test
    void matMulTwoDimensional() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("MatMul", c.input("a", 3, 4), c.input("b", 4, 5)));
    }

    @Test
    void matMulBatchedActivationTimesWeight() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("MatMul", c.input("x", 2, 3, 4), c.input("w", 4, 5)));
    }

    @Test
    void matMulFrozenWeightGivesActivationGradientOnly() {
        GradCheck c = GradCheck.doubles();
        String w = c.constantInput("w", -1, 1, 4, 5);
        c.check(c.op("MatMul", c.input("x", 2, 3, 4), w));
    }

    @Test
    void matMulBatchedBothSides() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("MatMul", c.input("q", 2, 2, 3, 4), c.input("k", 2, 2, 4, 3)));
    }

    @Test
    void matMulBroadcastBatch() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("MatMul", c.input("a", 2, 1, 3, 4), c.input("b", 3, 4, 2)));
        GradCheck d = GradCheck.doubles();
        d.check(d.op("MatMul", d.input("a", 3, 4), d.input("b", 2, 4, 2)));
    }

    @Test
    void matMulWithVectors() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("MatMul", c.input("v", 4), c.input("m", 2, 4, 3)));
        GradCheck d = GradCheck.doubles();
        d.check(d.op("MatMul", d.input("m", 2, 3, 4), d.input("v", 4)));
        GradCheck e = GradCheck.doubles();
        e.check(e.op("MatMul", e.input("u", 4), e.input("v", 4)));
    }

    @Test
    void gemmAllTransposeCombinations() {
        for (int ta = 0; ta < 2; ta++) {
            for (int tb = 0; tb < 2; tb++) {
                GradCheck c = GradCheck.doubles();
                String a = ta == 1 ? c.input("a", 4, 3) : c.input("a", 3, 4);
                String b = tb == 1 ? c.input("b", 5, 4) : c.input("b", 4, 5);
                c.check(c.op("Gemm", List.of(a, b, c.input("c", 5)), new Attribute.Int("transA", ta),
                        new Attribute.Int("transB", tb), new Attribute.Float("alpha", 0.7f), new Attribute.Float("beta", 1.3f)));
            }
        }
    }

    @Test
    void gatherEmbeddingWithRepeatedIndices() {
        GradCheck c = GradCheck.doubles();
        String table = c.trainableInitializer("table", 6, 3);
        String ids = c.longInput("ids", new long[] {1, 4, 1, 0, 5, 1}, 2, 3);
        c.check(c.op("Gather", table, ids));
    }

    @Test
    void gatherOnInnerAxisAndScalarIndex() {
        GradCheck c = GradCheck.doubles();
        String x = c.input("x", 2, 5, 3);
        String ids = c.longs("ids", 4, 0, 4);
        c.check(c.op("Gather", List.of(x, ids), new Attribute.Int("axis", 1)));
        GradCheck d = GradCheck.doubles();
        String y = d.input("y", 2, 5, 3);
        d.graph.putInitializer(Tensor.ofLongs("zero", new long[0], new long[] {0}));
        d.check(d.op("Gather", List.of(y, "zero"), new Attribute.Int("axis", 1)));
    }

    @Test
    void reshapeTransposeUnsqueezeSqueezeFlatten() {
        GradCheck c = GradCheck.doubles();
        String x = c.input("x", 2, 3, 4);
        String r = c.op("Reshape", x, c.longs("s", 0, -1, 2, 2));
        String t = c.op("Transpose", List.of(r), Attribute.ints("perm", 2, 0, 3, 1));
        String u = c.op("Unsqueeze", t, c.longs("ax", 1));
        String s = c.op("Squeeze", u, c.longs("ax2", 1));
        String f = c.op("Flatten", List.of(s), new Attribute.Int("axis", 2));
        c.check(c.op("Mul", f, f));
    }

    @Test
    void concatWithOneAndSeveralDifferentiatedInputs() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("Concat", List.of(c.input("a", 2, 3), c.input("b", 2, 1), c.input("c", 2, 2)), new Attribute.Int("axis", 1)));
        GradCheck d = GradCheck.doubles();
        String frozen = d.constantInput("k", -1, 1, 1, 3);
        d.check(d.op("Concat", List.of(frozen, d.input("a", 2, 3)), new Attribute.Int("axis", 0)));
    }

    @Test
    void splitAndConcatRoundTrip() {
        GradCheck c = GradCheck.doubles();
        List<String> parts = c.ops("Split", List.of(c.input("x", 2, 6), c.longs("sizes", 2, 4)), 2, new Attribute.Int("axis", 1));
        c.check(c.op("Mul", parts.get(0), parts.get(0)));
    }

    @Test
    void sliceUnitNegativeAndStridedSteps() {
        GradCheck c = GradCheck.doubles();
        String x = c.input("x", 3, 6);
        c.check(c.op("Slice", x, c.longs("st", 1), c.longs("en", -1), c.longs("ax", 1)));
        GradCheck d = GradCheck.doubles();
        String y = d.input("y", 3, 7);
        d.check(d.op("Slice", y, d.longs("st", 0, 6), d.longs("en", 3, 0), d.longs("ax", 0, 1), d.longs("sp", 2, -2)));
    }

    @Test
    void expandBroadcastsBack() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("Expand", c.input("x", 3, 1), c.longs("shape", 2, 3, 4)));
    }

    @Test
    void softmaxAndLogSoftmaxOnLastAndInnerAxes() {
        for (String op : List.of("Softmax", "LogSoftmax")) {
            for (long axis : new long[] {-1, 1}) {
                GradCheck c = GradCheck.doubles();
                c.check(c.op(op, List.of(c.input("x", 2, 3, 4)), new Attribute.Int("axis", axis)));
            }
        }
    }

    @Test
    void reduceMeanAndReduceSumWithAndWithoutKeepdims() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("ReduceMean", List.of(c.input("x", 2, 3, 4)), Attribute.ints("axes", -1), new Attribute.Int("keepdims", 1)));
        GradCheck d = GradCheck.doubles();
        d.check(d.op("ReduceMean", List.of(d.input("x", 2, 3, 4)), Attribute.ints("axes", 0, 2), new Attribute.Int("keepdims", 0)));
        GradCheck e = GradCheck.doubles();
        e.check(e.op("ReduceSum", List.of(e.input("x", 2, 3, 4), e.longs("ax", 1)), new Attribute.Int("keepdims", 0)));
        GradCheck f = GradCheck.doubles();
        f.check(f.op("ReduceSum", List.of(f.input("x", 2, 3)), new Attribute.Int("keepdims", 1)));
    }

    @Test
    void shapeConstantAndConstantOfShapeAreConstants() {
        GradCheck c = GradCheck.doubles();
        String x = c.input("x", 2, 3, 4);
        String shape = c.op("Shape", x);
        String ones = c.graph.op("ConstantOfShape", List.of(shape),
                new Attribute.TensorValue("value", Tensor.ofDoubles("", new long[] {1}, new double[] {2.0})));
        String k = c.graph.uniqueName("k");
        c.graph.addNode(new Node(c.graph.uniqueName("Constant"), "Constant", "", List.of(), List.of(k),
                List.of(new Attribute.TensorValue("value", Tensor.ofDoubles("", new long[] {4}, new double[] {1, -2, 3, 0.5})))));
        String flat = c.op("Reshape", x, c.op("Concat", List.of(c.op("Slice", shape, c.longs("s0", 0), c.longs("e0", 1)),
                c.longs("m1", -1)), new Attribute.Int("axis", 0)));
        String back = c.op("Reshape", flat, shape);
        c.check(c.op("Mul", c.op("Mul", back, ones), k));
    }

    @Test
    void layerNormalizationAllInputs() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("LayerNormalization", List.of(c.input("x", 2, 3, 5), c.input("g", 5), c.input("b", 5)),
                new Attribute.Int("axis", -1), new Attribute.Float("epsilon", 1e-5f)));
        GradCheck f = GradCheck.floats();
        f.check(f.op("LayerNormalization", List.of(f.input("x", 2, 3, 4), f.input("g", 3, 4), f.input("b", 4)),
                new Attribute.Int("axis", 1), new Attribute.Float("epsilon", 1e-5f)));
    }

    @Test
    void dropoutInTrainingModeReusesItsMask() {
        GradCheck c = GradCheck.doubles();
        String x = c.input("x", 4, 8);
        c.graph.putInitializer(Tensor.ofBooleans("training", new long[0], new boolean[] {true}));
        c.graph.putInitializer(Tensor.ofDoubles("ratio_d", new long[0], new double[] {0.3}));
        String y = c.graph.uniqueName("dropped");
        c.graph.addNode(new Node("drop", "Dropout", "", List.of(x, "ratio_d", "training"), List.of(y),
                List.of(new Attribute.Int("seed", 7))));
        // a fixed seed gives the same mask in every fresh session, so differences are reproducible
        c.fresh = true;
        c.check(c.op("Mul", y, y));
        double[] g = GradCheck.values(c.lastAnalytic.get("x_grad"));
        long dropped = java.util.Arrays.stream(g).filter(v -> v == 0.0).count();
        assertTrue(dropped > 0 && dropped < g.length, "the mask drops some elements: " + dropped + " of " + g.length);
    }

    @Test
    void dropoutWithTrainingModeFedAtRunTime() {
        for (boolean training : new boolean[] {true, false}) {
            GradCheck c = GradCheck.doubles();
            String x = c.input("x", 4, 8);
            c.graph.putInitializer(Tensor.ofDoubles("ratio", new long[0], new double[] {0.4}));
            String mode = c.boolInput("training", new boolean[] {training});
            String y = c.graph.uniqueName("dropped");
            c.graph.addNode(new Node("drop", "Dropout", "", List.of(x, "ratio", mode), List.of(y), List.of(new Attribute.Int("seed", 3))));
            c.fresh = true;
            c.check(c.op("Mul", y, y));
        }
    }

    @Test
    void dropoutInInferenceModeIsIdentity() {
        GradCheck c = GradCheck.doubles();
        String x = c.input("x", 3, 4);
        c.graph.putInitializer(Tensor.ofDoubles("ratio", new long[0], new double[] {0.5}));
        c.check(c.op("Dropout", x, "ratio"));
    }

    @Test
    void softmaxCrossEntropyMeanNoneAndIgnoreIndex() {
        GradCheck c = GradCheck.doubles();
        String logits = c.input("logits", 4, 3);
        String labels = c.longInput("labels", new long[] {0, 2, 1, 2}, 4);
        c.check(Losses.softmaxCrossEntropy(c.graph, logits, labels, null), true);
        GradCheck d = GradCheck.doubles();
        String l2 = d.input("logits", 4, 3);
        String lab2 = d.longInput("labels", new long[] {0, -100, 1, 2}, 4);
        d.check(Losses.softmaxCrossEntropy(d.graph, l2, lab2, -100L), true);
        GradCheck e = GradCheck.doubles();
        String l3 = e.input("logits", 2, 3, 2);
        String lab3 = e.longInput("labels", new long[] {0, 2, 1, 1}, 2, 2);
        String w = e.constant("w", new double[] {0.5, 1.0, 2.0}, 3);
        List<String> outs = e.ops("SoftmaxCrossEntropyLoss", List.of(l3, lab3, w), 2, new Attribute.Str("reduction", "none"));
        e.check(outs.get(0));
        GradCheck f = GradCheck.doubles();
        String l4 = f.input("logits", 3, 4);
        String lab4 = f.longInput("labels", new long[] {3, 0, 1}, 3);
        List<String> o4 = f.ops("SoftmaxCrossEntropyLoss", List.of(l4, lab4, f.constant("w", new double[] {1, 2, 3, 4}, 4)), 2,
                new Attribute.Str("reduction", "mean"));
        f.check(f.op("Add", o4.get(0), f.op("ReduceSum", List.of(f.op("Mul", o4.get(1), o4.get(1))),
                new Attribute.Int("keepdims", 0))), true);
        GradCheck h = GradCheck.doubles();
        String l5 = h.input("logits", 3, 4);
        String lab5 = h.longInput("labels", new long[] {1, 3, -1}, 3);
        List<String> o5 = h.ops("SoftmaxCrossEntropyLoss", List.of(l5, lab5), 1, new Attribute.Str("reduction", "sum"),
                new Attribute.Int("ignore_index", -1));
        h.check(o5.get(0), true);
    }

    @Test
    void meanSquaredErrorLoss() {
        GradCheck c = GradCheck.doubles();
        String pred = c.input("pred", 5, 2);
        String target = c.constantInput("target", -1, 1, 5, 2);
        c.check(Losses.meanSquaredError(c.graph, pred, target), true);
    }

    @Test
    void unsupportedOperatorNamesNodeAndPath() {
        Graph g = new Graph("g", 17);
        g.addInput(new org.peft4j.api.graph.ValueInfo("x", org.peft4j.api.graph.DataType.FLOAT, new long[] {2, 3}));
        String a = g.op("Tanh", List.of("x"));
        String b = g.op("Cos", List.of(a));
        String loss = g.op("ReduceSum", List.of(b), new Attribute.Int("keepdims", 0));
        GradientException e = org.junit.jupiter.api.Assertions.assertThrows(GradientException.class,
                () -> new GradientBuilder(g).addGradients(loss, Set.of("x")));
        assertTrue(e.getMessage().contains("Cos"), e.getMessage());
        assertTrue(e.getMessage().contains("x -> Tanh"), e.getMessage());
        assertTrue(e.getMessage().contains(loss), e.getMessage());
    }

    @Test
    void weightGradientOfBatchedLinearLayerIsOneTwoDimensionalMatMul() {
        Graph g = new Graph("g", 17);
        g.addInput(new org.peft4j.api.graph.ValueInfo("x", org.peft4j.api.graph.DataType.FLOAT, new long[] {2, 3, 4}));
        g.putInitializer(Tensor.ofFloats("W", new long[] {4, 5}, new float[20]));
        String y = g.matMul("x", "W");
        String loss = g.op("ReduceSum", List.of(g.mul(y, y)), new Attribute.Int("keepdims", 0));
        new GradientBuilder(g).addGradients(loss, Set.of("W"));
        Node identity = g.producer("W_grad");
        Node mm = g.producer(identity.input(0));
        assertEquals("MatMul", mm.opType());
        Map<String, org.peft4j.api.graph.ValueInfo> infos = org.peft4j.engine.shape.ShapeInference.infer(g);
        assertEquals(2, infos.get(mm.input(0)).rank(), "reshaped, transposed activations");
        assertEquals(2, infos.get(mm.input(1)).rank(), "reshaped output gradient");
        assertEquals("Transpose", g.producer(mm.input(0)).opType());
        assertEquals(1, g.nodes().stream().filter(n -> n.opType().equals("ReduceSum")).count(), "only the loss reduces");
    }

    @Test
    void frozenBranchesGetNoGradientNodes() {
        Graph g = new Graph("g", 17);
        g.addInput(new org.peft4j.api.graph.ValueInfo("x", org.peft4j.api.graph.DataType.FLOAT, new long[] {4, 8}));
        g.putInitializer(Tensor.ofFloats("W", new long[] {8, 8}, new float[64]));
        g.putInitializer(Tensor.ofFloats("A", new long[] {8, 2}, new float[16]));
        g.putInitializer(Tensor.ofFloats("B", new long[] {2, 8}, new float[16]));
        String base = g.matMul("x", "W");
        String lora = g.matMul(g.matMul("x", "A"), "B");
        String y = g.add(base, lora);
        String loss = g.op("ReduceSum", List.of(y), new Attribute.Int("keepdims", 0));
        int before = g.nodes().size();
        Map<String, String> grads = new GradientBuilder(g).addGradients(loss, Set.of("A", "B"));
        assertEquals(Map.of("A", "A_grad", "B", "B_grad"), grads);
        long matMuls = g.nodes().stream().skip(0).filter(n -> n.opType().equals("MatMul")).count();
        // forward: 3 MatMuls; backward: dB, d(xA), dA; nothing for W and none for x
        assertEquals(6, matMuls, g.nodes().toString());
        assertTrue(g.nodes().size() > before);
        assertTrue(g.nodes().stream().noneMatch(n -> n.inputs().contains("W") && !n.outputs().contains(base)
                && n.opType().equals("MatMul")), "the frozen weight is only read by its forward MatMul");
    }
}
