package org.peft4j.zoo.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.ValueInfo;

/** The head's structure, names, initial values and errors; its numbers are checked on ONNX Runtime in the runner's tests. */
class HeadSpecTest {

    private static Graph encoderStub() {
        Graph g = new Graph("stub", 17);
        g.addInput(new ValueInfo("hidden", DataType.FLOAT, new long[] {2, 5, 8}));
        g.addInput(new ValueInfo("attention_mask", DataType.INT64, new long[] {2, 5}));
        return g;
    }

    private static List<String> ops(Graph g) {
        return g.nodes().stream().map(Node::opType).toList();
    }

    @Test
    void classificationHeadHasNamedSeededParameters() {
        Graph g = encoderStub();
        Head head = new HeadSpec(TaskType.CLASSIFICATION, Pooling.CLS, 0.1, 7).build(g, "hidden", "attention_mask", 8, 3,
                DropoutFactory.IDENTITY);
        assertEquals("logits", head.logits());
        assertNull(head.loss());
        assertEquals(List.of("pre_classifier.weight", "pre_classifier.bias", "classifier.weight", "classifier.bias"), head.parameterNames());
        assertEquals(8 * 8 + 8 + 8 * 3 + 3, head.parameterCount());
        assertArrayEquals(new long[] {8, 3}, g.initializer("classifier.weight").shape());
        assertArrayEquals(head.parameters().get(2).initialValues(), g.initializer("classifier.weight").floats());

        Random r = new Random(7);
        float[] w1 = head.parameters().get(0).initialValues();
        for (float v : w1) {
            assertEquals((float) (r.nextGaussian() * 0.02), v, 0f);
        }
        assertEquals((float) (r.nextGaussian() * 0.02), head.parameters().get(2).initialValues()[0], 0f);
        assertArrayEquals(new float[8], head.parameters().get(1).initialValues());

        assertEquals(List.of("Gather", "MatMul", "Add", "Tanh", "MatMul", "Add"), ops(g));
        assertEquals("logits", g.nodes().get(g.nodes().size() - 1).output(0));
        g.sortTopologically();
    }

    @Test
    void sameSeedSameHeadOtherSeedOtherHead() {
        HeadSpec a = new HeadSpec(TaskType.CLASSIFICATION, Pooling.MEAN, 0.0, 1);
        Head h1 = a.build(encoderStub(), "hidden", "attention_mask", 8, 2, DropoutFactory.IDENTITY);
        Head h2 = a.build(encoderStub(), "hidden", "attention_mask", 8, 2, DropoutFactory.IDENTITY);
        Head h3 = new HeadSpec(TaskType.CLASSIFICATION, Pooling.MEAN, 0.0, 2).build(encoderStub(), "hidden", "attention_mask", 8, 2,
                DropoutFactory.IDENTITY);
        assertEquals(h1.parameters(), h2.parameters());
        assertFalse(h1.parameters().equals(h3.parameters()));
    }

    @Test
    void meanPoolingUsesTheMask() {
        Graph g = encoderStub();
        new HeadSpec(TaskType.CLASSIFICATION, Pooling.MEAN, 0.0, 1).build(g, "hidden", "attention_mask", 8, 2, DropoutFactory.IDENTITY);
        List<String> ops = ops(g);
        assertEquals(List.of("Cast", "Unsqueeze", "Mul", "ReduceSum", "ReduceSum", "Max", "Div"), ops.subList(0, 7));
        assertEquals("attention_mask", g.nodes().get(0).input(0));
    }

    @Test
    void dropoutGoesThroughTheFactory() {
        Graph g = encoderStub();
        List<String> dropped = new ArrayList<>();
        DropoutFactory recording = (graph, value, p) -> {
            assertEquals(0.25, p, 0.0);
            dropped.add(value);
            return graph.op("Identity", List.of(value));
        };
        new HeadSpec(TaskType.CLASSIFICATION, Pooling.CLS, 0.25, 1).build(g, "hidden", "attention_mask", 8, 2, recording);
        assertEquals(2, dropped.size(), "dropout before the dense layer and before the classifier");
        assertEquals(g.producer(dropped.get(0)).opType(), "Gather");
        assertEquals(g.producer(dropped.get(1)).opType(), "Tanh");

        Graph t = encoderStub();
        new HeadSpec(TaskType.CLASSIFICATION, Pooling.CLS, 0.25, 1).build(t, "hidden", "attention_mask", 8, 2,
                DropoutFactory.onnxTraining(5));
        List<Node> dropouts = t.nodes().stream().filter(n -> n.opType().equals("Dropout")).toList();
        assertEquals(2, dropouts.size());
        assertEquals(5, dropouts.get(0).intAttr("seed", -1));
        assertEquals(6, dropouts.get(1).intAttr("seed", -1));
        assertEquals(0.25f, t.initializer(dropouts.get(0).input(1)).floats()[0], 0f);
        assertEquals(DropoutFactory.TRAINING_MODE, dropouts.get(0).input(2));
        assertEquals(DropoutFactory.TRAINING_MODE, dropouts.get(1).input(2), "one shared training switch");
        assertEquals(1L, t.initializer(DropoutFactory.TRAINING_MODE).longs()[0]);
        assertEquals(2, dropouts.get(0).outputs().size(), "the mask is an output, for the gradient");
        assertEquals("v", DropoutFactory.onnxTraining(1).apply(t, "v", 0.0));
    }

    @Test
    void lossAddsMaskedInputs() {
        Graph g = encoderStub();
        HeadSpec spec = new HeadSpec(TaskType.CLASSIFICATION, Pooling.CLS, 0.0, 1);
        Head head = spec.addLoss(g, spec.build(g, "hidden", "attention_mask", 8, 2, DropoutFactory.IDENTITY), 2);
        assertEquals("loss", head.loss());
        assertEquals(List.of("labels", "example_weight"), head.labelInputs());
        assertEquals(DataType.INT64, g.valueInfo("labels").type());
        assertTrue(ops(g).contains("SoftmaxCrossEntropyLoss"));
        g.sortTopologically();

        Graph r = encoderStub();
        HeadSpec reg = new HeadSpec(TaskType.REGRESSION, Pooling.MEAN, 0.0, 1);
        Head rh = reg.addLoss(r, reg.build(r, "hidden", "attention_mask", 8, 1, DropoutFactory.IDENTITY), 2);
        assertEquals(DataType.FLOAT, r.valueInfo("labels").type());
        assertArrayEquals(new long[] {8, 1}, r.initializer("classifier.weight").shape());
        assertFalse(ops(r).contains("SoftmaxCrossEntropyLoss"));
        assertEquals("loss", rh.loss());
    }

    @Test
    void badArgumentsAreRejected() {
        HeadSpec c = new HeadSpec(TaskType.CLASSIFICATION, Pooling.CLS, 0.1, 1);
        assertThrows(IllegalArgumentException.class, () -> c.build(encoderStub(), "hidden", "attention_mask", 8, 1, DropoutFactory.IDENTITY));
        HeadSpec r = new HeadSpec(TaskType.REGRESSION, Pooling.CLS, 0.1, 1);
        assertThrows(IllegalArgumentException.class, () -> r.build(encoderStub(), "hidden", "attention_mask", 8, 2, DropoutFactory.IDENTITY));
        assertThrows(IllegalArgumentException.class, () -> new HeadSpec(TaskType.REGRESSION, Pooling.CLS, 1.0, 1));
        Graph g = encoderStub();
        c.build(g, "hidden", "attention_mask", 8, 2, DropoutFactory.IDENTITY);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> c.build(g, "hidden", "attention_mask", 8, 2, DropoutFactory.IDENTITY));
        assertTrue(twice.getMessage().contains("pre_classifier.weight"), twice.getMessage());
        Graph old = new Graph("old", 11);
        assertThrows(IllegalArgumentException.class, () -> c.build(old, "hidden", "attention_mask", 8, 2, DropoutFactory.IDENTITY));
        assertEquals(Pooling.MEAN, Pooling.byId("Mean"));
        assertThrows(IllegalArgumentException.class, () -> Pooling.byId("max"));
    }
}
