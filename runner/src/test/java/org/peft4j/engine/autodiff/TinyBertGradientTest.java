package org.peft4j.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.Graph;
import org.peft4j.runner.contract.Float64Twin;
import org.peft4j.api.graph.Tensor;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.ort.GraphRunner;
import org.peft4j.engine.shape.ShapeInference;
import org.peft4j.zoo.models.TinyBertGraph;

/**
 * Whole-model check: a generated two-layer BERT (hidden 32) in the exact operator pattern of the
 * Hugging Face opset-11 exports, round-tripped through ONNX bytes, specialised, with a LoRA-style
 * path on all twelve linear layers; the float32 gradients of every adapter parameter, of a
 * LayerNorm scale and shift, of a bias and of the word-embedding table are compared with central
 * differences of the float64 twin of the same graph.
 */
class TinyBertGradientTest {

    private static final int B = 2;
    private static final int T = 8;

    @Test
    void loraGradientsMatchFiniteDifferencesBelowOnePerMille() throws IOException {
        OnnxModelIO io = new OnnxModelIO();
        Graph exported = TinyBertGraph.build(TinyBertGraph.Config.small());
        assertEquals(11, exported.opset());
        Graph g = io.read(io.toBytes(exported), "tiny-bert", null);
        assertEquals(OnnxModelIO.OPSET, g.opset());
        ShapeInference.specialize(g, Map.of("input_ids", new long[] {B, T}, "attention_mask", new long[] {B, T},
                "token_type_ids", new long[] {B, T}));
        LoraFixture lora = LoraFixture.attach(g, 4, 0.2, 7);
        assertEquals(12, lora.layers.size());
        // a few base weights train too: LayerNorm scale and shift (fused LayerNorm), a bias, the embedding table (Gather)
        for (String w : List.of("encoder.layer.1.output.LayerNorm.weight", "encoder.layer.0.attention.output.LayerNorm.bias",
                "encoder.layer.0.intermediate.dense.bias", "embeddings.word_embeddings.weight")) {
            Tensor t = g.removeInitializer(w);
            g.addInput(t.info());
            lora.parameters.put(w, t);
        }
        String loss = LoraFixture.projectionLoss(g, "last_hidden_state", new long[] {B, T, 32}, 11);
        Graph reference = Float64Twin.convert(g);

        Graph training = g.copy();
        Map<String, String> grads = new GradientBuilder(training).addGradients(loss, new HashSet<>(lora.names()));

        Map<String, Tensor> feeds = new LinkedHashMap<>(batch());
        feeds.putAll(lora.parameters);
        Map<String, Tensor> analytic;
        try (GraphRunner r = new GraphRunner(training, 1, OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
            analytic = r.run(feeds);
        }

        Map<String, Tensor> refFeeds = new LinkedHashMap<>(batch());
        lora.parameters.forEach((k, v) -> refFeeds.put(k, Float64Twin.toDouble(v)));
        double h = 1e-5;
        double diffSq = 0;
        double refSq = 0;
        double worstTensor = 0;
        String worstName = "";
        try (GraphRunner r = new GraphRunner(reference, 1, OrtSession.SessionOptions.OptLevel.NO_OPT)) {
            double base = r.run(refFeeds).get(loss).doubles()[0];
            assertTrue(Math.abs(base - analytic.get(loss).floats()[0]) < 1e-4 * Math.max(1, Math.abs(base)),
                    "float32 and float64 losses agree: " + base + " vs " + analytic.get(loss).floats()[0]);
            for (String p : lora.names()) {
                Tensor t = refFeeds.get(p);
                double[] x = t.doubles();
                float[] an = analytic.get(grads.get(p)).floats();
                Random pick = new Random(p.hashCode());
                double d2 = 0;
                double r2 = 0;
                // half of the samples where the gradient is largest (rows the batch uses), half anywhere
                Integer[] order = new Integer[x.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                java.util.Arrays.sort(order, (a, b) -> Float.compare(Math.abs(an[b]), Math.abs(an[a])));
                for (int s = 0; s < 24; s++) {
                    int i = s < 12 ? order[s] : pick.nextInt(x.length);
                    double keep = x[i];
                    x[i] = keep + h;
                    refFeeds.put(p, Tensor.ofDoubles(p, t.shape(), x));
                    double plus = r.run(refFeeds).get(loss).doubles()[0];
                    x[i] = keep - h;
                    refFeeds.put(p, Tensor.ofDoubles(p, t.shape(), x));
                    double minus = r.run(refFeeds).get(loss).doubles()[0];
                    x[i] = keep;
                    double fd = (plus - minus) / (2 * h);
                    d2 += (fd - an[i]) * (fd - an[i]);
                    r2 += fd * fd;
                }
                refFeeds.put(p, t);
                assertTrue(r2 > 0, "the gradient of " + p + " is not zero");
                double rel = Math.sqrt(d2 / r2);
                if (rel > worstTensor) {
                    worstTensor = rel;
                    worstName = p;
                }
                diffSq += d2;
                refSq += r2;
            }
        }
        double overall = Math.sqrt(diffSq / refSq);
        System.out.printf("tiny BERT LoRA gradient check: relative error %.2e overall, worst tensor %s %.2e%n", overall, worstName,
                worstTensor);
        assertTrue(overall < 1e-3, "overall relative error " + overall);
        assertTrue(worstTensor < 1e-3, "relative error of " + worstName + " is " + worstTensor);
    }

    private static Map<String, Tensor> batch() {
        long[] ids = new long[B * T];
        long[] types = new long[B * T];
        long[] mask = new long[B * T];
        Random r = new Random(3);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(100);
            types[i] = (i % T) >= T / 2 ? 1 : 0;
            mask[i] = i >= B * T - 3 ? 0 : 1;
        }
        long[] shape = {B, T};
        return Map.of("input_ids", Tensor.ofLongs("input_ids", shape, ids), "attention_mask", Tensor.ofLongs("attention_mask", shape, mask),
                "token_type_ids", Tensor.ofLongs("token_type_ids", shape, types));
    }
}
