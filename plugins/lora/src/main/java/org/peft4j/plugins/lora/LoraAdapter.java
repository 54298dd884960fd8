package org.peft4j.plugins.lora;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.AdapterContext;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.ParameterValues;
import org.peft4j.api.method.TargetSelector;

/**
 * LoRA's adapter for one run: {@code y = x W0 + bias + s · (dropout(x) A) B} with
 * {@code s = alpha / r} (or {@code alpha / sqrt(r)} with rsLoRA), per module rank and alpha.
 *
 * <p>Parameters, per targeted module {@code m} (names {@code m.lora_A}, {@code m.lora_B}):
 * <ul>
 *   <li>role {@code lora_A}, shape {@code [in, r]}: the transpose of HF PEFT's {@code lora_A.weight}
 *       ({@code [r, in]}), so the graph computes {@code x @ A} with no Transpose; initialised
 *       i.i.d. {@code U(-1/sqrt(in), 1/sqrt(in))} from the run's random source, drawn row-major in
 *       this stored layout, module by module in target order;</li>
 *   <li>role {@code lora_B}, shape {@code [r, out]}: the transpose of HF's {@code lora_B.weight}
 *       ({@code [out, r]}); initialised to zero, so the adapter starts as an exact no-op.</li>
 * </ul>
 * Both train from the first step; neither is freezable. The graph path is
 * {@code MatMul(dropout(x), A)}, then a {@code Mul} by the scalar {@code s} on the rank-wide
 * intermediate (omitted when {@code s == 1}), then {@code MatMul(., B)}, added to the layer's
 * MatMul output.
 *
 * <p>Contract: as {@link Adapter}; the adapter is used for one graph only.
 */
public final class LoraAdapter implements Adapter {

    /** Role of the down projection. */
    public static final String ROLE_A = "lora_A";
    /** Role of the up projection. */
    public static final String ROLE_B = "lora_B";

    private final LoraConfig config;
    private final TargetSelector selector;

    LoraAdapter(LoraConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        String path = config.params().path();
        this.selector = new TargetSelector(path + LoraMethod.TARGETS.key(), config.targets(), config.exclude());
    }

    @Override
    public List<LinearLayer> selectTargets(List<LinearLayer> layers) {
        List<LinearLayer> targets = selector.select(layers);
        List<String> modules = targets.stream().map(LinearLayer::module).toList();
        for (ModulePatterns<?> patterns : List.of(config.rankPattern(), config.alphaPattern())) {
            List<String> unmatched = patterns.unmatched(modules);
            if (!unmatched.isEmpty()) {
                throw config.params().invalid(patterns.configKey(),
                        "pattern(s) " + unmatched + " match no targeted layer; targeted layers are named like "
                                + modules.stream().limit(4).toList());
            }
        }
        return targets;
    }

    @Override
    public void rewrite(LinearLayer layer, AdapterContext context) {
        String module = layer.module();
        int r = config.rankOf(module);
        double scale = config.scaleOf(module);
        Random random = context.random();
        float bound = (float) (1.0 / Math.sqrt(layer.in()));
        float[] a = new float[layer.in() * r];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        String aName = context.addParameter(
                new AdapterParameter(module + "." + ROLE_A, module, ROLE_A, new long[] {layer.in(), r}, true, false), a);
        String bName = context.addParameter(
                new AdapterParameter(module + "." + ROLE_B, module, ROLE_B, new long[] {r, layer.out()}, true, false),
                new float[r * layer.out()]);
        Graph g = context.graph();
        String x = context.dropout(layer.input(), config.dropout());
        String h = g.matMul(x, aName);
        if (scale != 1.0) {
            h = g.mul(h, g.scalar((float) scale));
        }
        g.addToValue(layer.matMulOutput(), g.matMul(h, bName));
    }

    /**
     * {@code W0 + s · A B} in the {@code [in, out]} layout (that is {@code W0 + s · (B_hf A_hf)^T}),
     * accumulated in double precision per row.
     */
    @Override
    public float[] merge(LinearLayer layer, float[] baseWeight, ParameterValues values) {
        int in = layer.in();
        int out = layer.out();
        layer.checkWeight(baseWeight);
        String module = layer.module();
        int r = config.rankOf(module);
        double scale = config.scaleOf(module);
        float[] a = values.get(module + "." + ROLE_A);
        float[] b = values.get(module + "." + ROLE_B);
        if (a.length != in * r || b.length != r * out) {
            throw new IllegalArgumentException("LoRA parameters of " + module + " have " + a.length + " and " + b.length
                    + " values, expected " + in + " x " + r + " and " + r + " x " + out);
        }
        float[] merged = baseWeight.clone();
        double[] row = new double[out];
        for (int i = 0; i < in; i++) {
            java.util.Arrays.fill(row, 0);
            for (int k = 0; k < r; k++) {
                double aik = a[i * r + k];
                int bOff = k * out;
                for (int o = 0; o < out; o++) {
                    row[o] += aik * b[bOff + o];
                }
            }
            int wOff = i * out;
            for (int o = 0; o < out; o++) {
                merged[wOff + o] = (float) (baseWeight[wOff + o] + scale * row[o]);
            }
        }
        return merged;
    }

    /** The rank used for {@code module} (after rank-pattern overrides). */
    public int rankOf(String module) {
        return config.rankOf(module);
    }

    /** The scale {@code alpha / r} (or {@code alpha / sqrt(r)}) used for {@code module}. */
    public double scaleOf(String module) {
        return config.scaleOf(module);
    }
}
