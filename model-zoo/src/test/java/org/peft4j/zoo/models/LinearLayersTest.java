package org.peft4j.zoo.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;

class LinearLayersTest {

    private static Tensor weight(String name, int in, int out) {
        return Tensor.ofFloats(name, new long[] {in, out}, new float[in * out]);
    }

    /** x -> query (4x3, bias on the right of the Add) and key (4x3, bias on the left) -> scores -> dense (3x5). */
    private static Graph attentionLike() {
        Graph g = new Graph("toy", 17);
        g.addInput(new ValueInfo("x", DataType.FLOAT, new long[] {2, 4}));
        g.putInitializer(weight("onnx::MatMul_1", 4, 3));
        g.putInitializer(weight("onnx::MatMul_2", 4, 3));
        g.putInitializer(weight("onnx::MatMul_3", 3, 5));
        g.putInitializer(Tensor.ofFloats("enc.q.bias", new long[] {3}, new float[3]));
        g.putInitializer(Tensor.ofFloats("enc.k.bias", new long[] {3}, new float[3]));
        g.putInitializer(Tensor.ofFloats("enc.out.dense.bias", new long[] {5}, new float[5]));
        String q = g.add(g.matMul("x", "onnx::MatMul_1"), "enc.q.bias");
        String kMm = g.matMul("x", "onnx::MatMul_2");
        String k = g.add("enc.k.bias", kMm);
        String scores = g.matMul(q, g.transpose(k, 1, 0));
        String ctx = g.matMul(scores, q);
        String out = g.add(g.matMul(ctx, "onnx::MatMul_3"), "enc.out.dense.bias");
        g.addOutput(new ValueInfo(out, DataType.FLOAT, new long[] {2, 5}));
        return g;
    }

    @Test
    void namesLayersByTheirBiasAndSkipsComputedMatMuls() {
        Graph g = attentionLike();
        List<LinearLayer> layers = LinearLayers.find(g);
        assertEquals(List.of("enc.q", "enc.k", "enc.out.dense"), layers.stream().map(LinearLayer::module).toList());
        LinearLayer q = layers.get(0);
        assertEquals("x", q.input());
        assertEquals("onnx::MatMul_1", q.weight());
        assertEquals("enc.q.bias", q.bias());
        assertEquals(g.producer(q.matMulOutput()).opType(), "MatMul");
        assertEquals(4, q.in());
        assertEquals(3, q.out());
        assertEquals(3, layers.get(2).in());
        assertEquals(5, layers.get(2).out());
        assertEquals(4 * 3 * 2 + 3 * 5 + 3 + 3 + 5, LinearLayers.parameterCount(g));
        g.putInitializer(org.peft4j.api.graph.Tensor.scalar("scale", 8f));
        assertEquals(4 * 3 * 2 + 3 * 5 + 3 + 3 + 5, LinearLayers.parameterCount(g), "rank-0 constants are not parameters");
    }

    @Test
    void constantWeightWithoutNamedBiasIsAnError() {
        Graph g = attentionLike();
        g.putInitializer(weight("onnx::MatMul_9", 5, 2));
        String head = g.matMul(g.outputs().get(0).name(), "onnx::MatMul_9");
        g.addOutput(new ValueInfo(head, DataType.FLOAT, new long[] {2, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearLayers.find(g));
        assertTrue(e.getMessage().contains("onnx::MatMul_9"), e.getMessage());
        assertTrue(e.getMessage().contains(g.producer(head).name()), e.getMessage());
    }
}
