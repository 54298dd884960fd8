package org.peft4j.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.api.testing.ReferenceEvaluator.Value;

class ReferenceEvaluatorTest {

    @Test
    void evaluatesMatMulBroadcastingAndSlice() {
        Graph g = new Graph("t", 17);
        g.addInput(new ValueInfo("x", DataType.FLOAT, new long[] {2, 3}));
        g.putInitializer(Tensor.ofFloats("w", new long[] {3, 4}, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        String w2 = g.op("Slice", List.of("w", g.constant(Tensor.vector("s", 1)), g.constant(Tensor.vector("e", 3)),
                g.constant(Tensor.vector("a", 1))));
        String mm = g.matMul("x", w2); // [2, 2]
        g.putInitializer(Tensor.ofFloats("v", new long[] {2}, new float[] {10, 100}));
        String scaled = g.mul(mm, "v");
        String out = g.sub(scaled, g.scalar(1));
        Value x = new Value(new long[] {2, 3}, new double[] {1, 0, 0, 0, 1, 1});
        Value y = ReferenceEvaluator.evaluate(g, Map.of("x", x), Map.of(), out);
        // w[:, 1:3] = [[2, 3], [6, 7], [10, 11]]; x @ that = [[2, 3], [16, 18]]
        assertArrayEquals(new long[] {2, 2}, y.shape());
        assertArrayEquals(new double[] {19, 299, 159, 1799}, y.data());
        Value z = ReferenceEvaluator.evaluate(g, Map.of("x", x), Map.of("v", new float[] {1, 1}), out);
        assertArrayEquals(new double[] {1, 2, 15, 17}, z.data());
    }

    @Test
    void rejectsUnknownOperatorsAndValues() {
        Graph g = new Graph("t", 17);
        g.addInput(new ValueInfo("x", DataType.FLOAT, new long[] {1}));
        String y = g.op("Erf", List.of("x"));
        Value x = new Value(new long[] {1}, new double[] {0});
        assertThrows(UnsupportedOperationException.class, () -> ReferenceEvaluator.evaluate(g, Map.of("x", x), Map.of(), y));
        assertThrows(IllegalArgumentException.class, () -> ReferenceEvaluator.evaluate(g, Map.of("x", x), Map.of(), "nothing"));
    }
}
