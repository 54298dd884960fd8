package org.peft4j.plugins.aflora;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.AdapterContext;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.ParameterValues;
import org.peft4j.api.method.TargetSelector;

/**
 * AFLoRA's adapter for one run: {@code y = x W0 + bias + ((((x A) ⊙ d) B) ⊙ b)} per targeted
 * layer.
 *
 * <p>Tensors of module {@code m} (graph layout is the transpose of the spec's, so the graph needs
 * no Transpose; an exporter transposes back to HF's {@code [r, in]} / {@code [out, r]}):
 * <ul>
 *   <li>{@code m.aflora_A}, shape {@code [in, r]} (spec {@code A} is {@code r × in}),
 *       {@code U(-sqrt(6/in), sqrt(6/in))};</li>
 *   <li>{@code m.aflora_B}, shape {@code [r, out]} (spec {@code B} is {@code out × r}),
 *       {@code U(-sqrt(6/r), sqrt(6/r))};</li>
 *   <li>{@code m.aflora_d}, shape {@code [r]}, every element {@code d-initial}; trainable;</li>
 *   <li>{@code m.aflora_b}, shape {@code [out]}, zero (the adapter starts as an exact no-op);
 *       trainable.</li>
 * </ul>
 * {@code A} and {@code B} are trainable and freezable on the layers that
 * {@code trainable-projections} selects, frozen constants elsewhere. Random values come from the
 * run's random source: for each layer in rewrite order, {@code A} then {@code B}, each row-major
 * in its stored layout.
 *
 * <p>Contract: as {@link Adapter}; the adapter is used for one graph only.
 */
public final class AfloraAdapter implements Adapter {

    /** Role of the down projection. */
    public static final String ROLE_A = "aflora_A";
    /** Role of the up projection. */
    public static final String ROLE_B = "aflora_B";
    /** Role of the rank-wide scaling vector. */
    public static final String ROLE_D = "aflora_d";
    /** Role of the output scaling vector. */
    public static final String ROLE_OUT = "aflora_b";

    private final HyperParameters params;
    private final int r;
    private final float dInitial;
    private final String trainableProjections;
    private final TargetSelector selector;
    private final TargetSelector trainableSelector;

    AfloraAdapter(HyperParameters params, int r, float dInitial, String trainableProjections, List<String> targets,
            List<String> exclude) {
        this.params = params;
        this.r = r;
        this.dInitial = dInitial;
        this.trainableProjections = trainableProjections;
        this.selector = new TargetSelector(params.path() + AfloraMethod.TARGETS.key(), targets, exclude);
        this.trainableSelector = switch (trainableProjections) {
            case "ffn", "all", "none" -> null;
            default -> new TargetSelector(params.path() + AfloraMethod.TRAINABLE_PROJECTIONS.key(),
                    patternEntries(trainableProjections), List.of());
        };
    }

    /** One regex, or comma-separated module-name suffixes. */
    private static List<String> patternEntries(String pattern) {
        boolean regex = pattern.chars().anyMatch(c -> "*+?[](){}|^$\\".indexOf(c) >= 0);
        if (regex || pattern.indexOf(',') < 0) {
            return List.of(pattern);
        }
        return java.util.Arrays.stream(pattern.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
    }

    @Override
    public List<LinearLayer> selectTargets(List<LinearLayer> layers) {
        List<LinearLayer> targets = selector.select(layers);
        if (trainableSelector != null && targets.stream().noneMatch(l -> trainableSelector.matches(l.module()))) {
            throw params.invalid(AfloraMethod.TRAINABLE_PROJECTIONS.key(), "'" + trainableProjections
                    + "' matches no targeted layer; targeted layers are named like "
                    + targets.stream().limit(4).map(LinearLayer::module).toList());
        }
        return targets;
    }

    /** Whether {@code layer}'s projections start trainable under {@code trainable-projections}. */
    public boolean projectionsTrainable(LinearLayer layer) {
        return switch (trainableProjections) {
            case "ffn" -> layer.in() != layer.out();
            case "all" -> true;
            case "none" -> false;
            default -> trainableSelector.matches(layer.module());
        };
    }

    @Override
    public void rewrite(LinearLayer layer, AdapterContext context) {
        String module = layer.module();
        int in = layer.in();
        int out = layer.out();
        boolean trainable = projectionsTrainable(layer);
        Random random = context.random();
        float[] a = uniform(random, in * r, Math.sqrt(6.0 / in));
        float[] b = uniform(random, r * out, Math.sqrt(6.0 / r));
        float[] d = new float[r];
        Arrays.fill(d, dInitial);
        String aName = context.addParameter(new AdapterParameter(module + "." + ROLE_A, module, ROLE_A, new long[] {in, r}, trainable, trainable), a);
        String bName = context.addParameter(new AdapterParameter(module + "." + ROLE_B, module, ROLE_B, new long[] {r, out}, trainable, trainable), b);
        String dName = context.addParameter(new AdapterParameter(module + "." + ROLE_D, module, ROLE_D, new long[] {r}, true, false), d);
        String outName = context.addParameter(new AdapterParameter(module + "." + ROLE_OUT, module, ROLE_OUT, new long[] {out}, true, false),
                new float[out]);
        Graph g = context.graph();
        String h = g.mul(g.matMul(layer.input(), aName), dName);
        String delta = g.mul(g.matMul(h, bName), outName);
        g.addToValue(layer.matMulOutput(), delta);
    }

    private static float[] uniform(Random random, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return v;
    }

    /**
     * {@code W0 + diag(b) B diag(d) A} transposed into the {@code [in, out]} layout:
     * {@code W[i][o] = W0[i][o] + b[o] · Σ_k A[i][k] d[k] B[k][o]} over the stored layouts,
     * accumulated in double precision.
     */
    @Override
    public float[] merge(LinearLayer layer, float[] baseWeight, ParameterValues values) {
        int in = layer.in();
        int out = layer.out();
        String module = layer.module();
        layer.checkWeight(baseWeight);
        float[] a = values.get(module + "." + ROLE_A);
        float[] bProj = values.get(module + "." + ROLE_B);
        float[] d = values.get(module + "." + ROLE_D);
        float[] b = values.get(module + "." + ROLE_OUT);
        if (a.length != in * r || bProj.length != r * out || d.length != r || b.length != out) {
            throw new IllegalArgumentException("AFLoRA tensors do not fit " + module + " (" + in + " x " + out + ", r = " + r
                    + "): A " + a.length + ", B " + bProj.length + ", d " + d.length + ", b " + b.length + " values");
        }
        float[] merged = new float[in * out];
        double[] row = new double[out];
        for (int i = 0; i < in; i++) {
            Arrays.fill(row, 0);
            for (int k = 0; k < r; k++) {
                double c = (double) a[i * r + k] * d[k];
                int off = k * out;
                for (int o = 0; o < out; o++) {
                    row[o] += c * bProj[off + o];
                }
            }
            int wOff = i * out;
            for (int o = 0; o < out; o++) {
                merged[wOff + o] = (float) (baseWeight[wOff + o] + b[o] * row[o]);
            }
        }
        return merged;
    }

    /** The rank of the projections. */
    public int rank() {
        return r;
    }
}
