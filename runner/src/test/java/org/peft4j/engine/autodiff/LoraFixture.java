package org.peft4j.engine.autodiff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.zoo.models.LinearLayers;

/**
 * Test fixture: attaches a LoRA-style path {@code (x A B) * scale} to every linear layer of an
 * encoder graph, with {@code A} and {@code B} as float graph inputs (trainable parameters travel
 * as inputs), and returns their values.
 */
final class LoraFixture {

    final Map<String, Tensor> parameters = new LinkedHashMap<>();
    final List<LinearLayer> layers;

    private LoraFixture(List<LinearLayer> layers) {
        this.layers = layers;
    }

    /**
     * Adds adapters of rank {@code rank} to every linear layer of the specialised {@code graph};
     * A and B are drawn from N(0, std^2) (B non-zero so that every gradient is non-trivial).
     */
    static LoraFixture attach(Graph graph, int rank, double std, long seed) {
        List<LinearLayer> layers = LinearLayers.find(graph);
        LoraFixture f = new LoraFixture(layers);
        Random random = new Random(seed);
        String scale = graph.constant(Tensor.scalar("lora_scale", 2.0f));
        for (LinearLayer l : layers) {
            String a = l.module() + ".lora_A";
            String b = l.module() + ".lora_B";
            f.add(graph, a, new long[] {l.in(), rank}, std, random);
            f.add(graph, b, new long[] {rank, l.out()}, std, random);
            String delta = graph.mul(graph.matMul(graph.matMul(l.input(), a), b), scale);
            graph.addToValue(l.matMulOutput(), delta);
        }
        return f;
    }

    private void add(Graph graph, String name, long[] shape, double std, Random random) {
        int n = (int) (shape[0] * shape[1]);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (std * random.nextGaussian());
        }
        graph.addInput(new ValueInfo(name, DataType.FLOAT, shape));
        parameters.put(name, Tensor.ofFloats(name, shape, v));
    }

    /** Appends {@code loss = sum(output * R) / count} with a fixed random R; returns the loss name. */
    static String projectionLoss(Graph graph, String output, long[] shape, long seed) {
        Random random = new Random(seed);
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = (float) (random.nextDouble() * 2 - 1) / n * 100;
        }
        String rn = graph.constant(Tensor.ofFloats("projection", shape, r));
        String prod = graph.mul(output, rn);
        String loss = graph.op("ReduceSum", List.of(prod), new Attribute.Int("keepdims", 0));
        graph.addOutput(new ValueInfo(loss, DataType.FLOAT, new long[0]));
        return loss;
    }

    List<String> names() {
        return new ArrayList<>(parameters.keySet());
    }
}
