package org.peft4j.plugins.elora;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.AdapterContext;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.ParameterValues;
import org.peft4j.api.method.TargetSelector;

/**
 * ELoRA's adapter for one run: {@code y = x W0 + bias + ((((x A_s) ⊙ d) B_s) ⊙ b)}.
 *
 * <p>Tensors and layouts (graph layout is the transpose of HF PEFT VeRA's, so that the graph
 * needs no Transpose; an exporter transposes back):
 * <ul>
 *   <li>{@code vera_A} (module {@code ""}, role {@code vera_A}), shape {@code [in_max, r]}: the
 *       transpose of the spec's {@code A} ({@code r × in_max}); frozen constant.</li>
 *   <li>{@code vera_B} (module {@code ""}, role {@code vera_B}), shape {@code [r, out_max]}: the
 *       transpose of the spec's {@code B} ({@code out_max × r}); frozen constant.</li>
 *   <li>{@code m.vera_lambda_d}, shape {@code [r]}, every element {@code d-initial}; trainable.</li>
 *   <li>{@code m.vera_lambda_b}, shape {@code [out]}, zero (exact no-op at start); trainable.</li>
 * </ul>
 * {@code in_max} and {@code out_max} are the largest input and output widths among the targets.
 * The projections are Kaiming-uniform, {@code U(-sqrt(6/fan_in), sqrt(6/fan_in))} with the
 * spec's fan-in ({@code in_max} for {@code A}, {@code r} for {@code B}), drawn from
 * {@code new java.util.Random(projection-seed)}: first {@code A} row-major in the spec's
 * {@code [r, in_max]} order, then {@code B} row-major in the spec's {@code [out_max, r]} order, so
 * the same seed, rank and widths always give the same matrices, whatever the run seed.
 * ELoRA draws nothing from the run's random source.
 *
 * <p>Each layer uses the leading rows {@code vera_A[:in, :]} and leading columns
 * {@code vera_B[:, :out]} through ONNX {@code Slice} nodes (one per distinct width, shared by
 * layers of that width, none when the width is the maximum) and multiplies through the full rank
 * {@code r}: that is ELoRA's real cost, kept honest here.
 *
 * <p>Contract: as {@link Adapter}; {@link #prepare} must run before {@link #rewrite}; the adapter
 * is used for one graph only.
 */
public final class EloraAdapter implements Adapter {

    /** Name and role of the shared down projection. */
    public static final String SHARED_A = "vera_A";
    /** Name and role of the shared up projection. */
    public static final String SHARED_B = "vera_B";
    /** Role of the per-layer rank-wide scaling vector. */
    public static final String ROLE_D = "vera_lambda_d";
    /** Role of the per-layer output scaling vector. */
    public static final String ROLE_B = "vera_lambda_b";

    private final TargetSelector selector;
    private final int r;
    private final int seed;
    private final float dInitial;
    private final boolean saveProjection;

    private int inMax = -1;
    private int outMax = -1;
    private final Map<Integer, String> aSlices = new HashMap<>();
    private final Map<Integer, String> bSlices = new HashMap<>();
    private ParameterValues lastValues;
    private float[][] lastShared;

    EloraAdapter(String targetsKey, int r, int seed, float dInitial, boolean saveProjection, List<String> targets,
            List<String> exclude) {
        this.selector = new TargetSelector(targetsKey, targets, exclude);
        this.r = r;
        this.seed = seed;
        this.dInitial = dInitial;
        this.saveProjection = saveProjection;
    }

    @Override
    public List<LinearLayer> selectTargets(List<LinearLayer> layers) {
        return selector.select(layers);
    }

    @Override
    public void prepare(List<LinearLayer> targets, AdapterContext context) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("ELoRA needs at least one target layer");
        }
        inMax = targets.stream().mapToInt(LinearLayer::in).max().orElseThrow();
        outMax = targets.stream().mapToInt(LinearLayer::out).max().orElseThrow();
        float[][] ab = projections(seed, r, inMax, outMax);
        context.addParameter(new AdapterParameter(SHARED_A, "", SHARED_A, new long[] {inMax, r}, false, false), ab[0]);
        context.addParameter(new AdapterParameter(SHARED_B, "", SHARED_B, new long[] {r, outMax}, false, false), ab[1]);
        aSlices.put(inMax, SHARED_A);
        bSlices.put(outMax, SHARED_B);
    }

    /**
     * The shared projections in graph layout: {@code [0]} is {@code vera_A} ({@code [inMax, r]}),
     * {@code [1]} is {@code vera_B} ({@code [r, outMax]}), generated as the class comment says.
     */
    public static float[][] projections(long seed, int r, int inMax, int outMax) {
        Random random = new Random(seed);
        float[] a = new float[inMax * r];
        double boundA = Math.sqrt(6.0 / inMax);
        for (int k = 0; k < r; k++) {
            for (int i = 0; i < inMax; i++) {
                a[i * r + k] = (float) ((2 * random.nextDouble() - 1) * boundA);
            }
        }
        float[] b = new float[r * outMax];
        double boundB = Math.sqrt(6.0 / r);
        for (int o = 0; o < outMax; o++) {
            for (int k = 0; k < r; k++) {
                b[k * outMax + o] = (float) ((2 * random.nextDouble() - 1) * boundB);
            }
        }
        return new float[][] {a, b};
    }

    @Override
    public void rewrite(LinearLayer layer, AdapterContext context) {
        if (inMax < 0) {
            throw new IllegalStateException("prepare() was not called before rewrite(" + layer.module() + ")");
        }
        if (layer.in() > inMax || layer.out() > outMax) {
            throw new IllegalArgumentException("layer " + layer.module() + " (" + layer.in() + " x " + layer.out()
                    + ") is wider than the targets given to prepare() (" + inMax + " x " + outMax + ")");
        }
        String module = layer.module();
        float[] d = new float[r];
        java.util.Arrays.fill(d, dInitial);
        String dName = context.addParameter(new AdapterParameter(module + "." + ROLE_D, module, ROLE_D, new long[] {r}, true, false), d);
        String bName = context.addParameter(
                new AdapterParameter(module + "." + ROLE_B, module, ROLE_B, new long[] {layer.out()}, true, false),
                new float[layer.out()]);
        Graph g = context.graph();
        String a = aSlices.computeIfAbsent(layer.in(), w -> slice(g, SHARED_A, w, 0));
        String bProj = bSlices.computeIfAbsent(layer.out(), w -> slice(g, SHARED_B, w, 1));
        String h = g.mul(g.matMul(layer.input(), a), dName);
        String delta = g.mul(g.matMul(h, bProj), bName);
        g.addToValue(layer.matMulOutput(), delta);
    }

    private static String slice(Graph g, String value, int width, int axis) {
        String starts = g.constant(Tensor.vector(value + "_slice_starts", 0));
        String ends = g.constant(Tensor.vector(value + "_slice_ends", width));
        String axes = g.constant(Tensor.vector(value + "_slice_axes", axis));
        return g.op("Slice", List.of(value, starts, ends, axes));
    }

    /**
     * {@code W0 + diag(b) B diag(d) A} transposed into the {@code [in, out]} layout:
     * {@code W[i][o] = W0[i][o] + b[o] · Σ_k A[i][k] d[k] B[k][o]} over the stored layouts,
     * accumulated in double precision (parallel over rows).
     */
    @Override
    public float[] merge(LinearLayer layer, float[] baseWeight, ParameterValues values) {
        int in = layer.in();
        int out = layer.out();
        layer.checkWeight(baseWeight);
        String module = layer.module();
        float[][] shared = sharedProjections(values);
        float[] a = shared[0];
        float[] bProj = shared[1];
        float[] d = values.get(module + "." + ROLE_D);
        float[] b = values.get(module + "." + ROLE_B);
        if (d.length != r || b.length != out || a.length % r != 0 || bProj.length % r != 0 || a.length / r < in
                || bProj.length / r < out) {
            throw new IllegalArgumentException("ELoRA tensors do not fit " + module + " (" + in + " x " + out + ", r = " + r
                    + "): vera_A " + a.length + ", vera_B " + bProj.length + ", d " + d.length + ", b " + b.length + " values");
        }
        int stride = bProj.length / r;
        float[] merged = new float[in * out];
        IntStream.range(0, in).parallel().forEach(i -> {
            double[] row = new double[out];
            for (int k = 0; k < r; k++) {
                double c = (double) a[i * r + k] * d[k];
                if (c == 0) {
                    continue;
                }
                int off = k * stride;
                for (int o = 0; o < out; o++) {
                    row[o] += c * bProj[off + o];
                }
            }
            int wOff = i * out;
            for (int o = 0; o < out; o++) {
                merged[wOff + o] = (float) (baseWeight[wOff + o] + b[o] * row[o]);
            }
        });
        return merged;
    }

    /**
     * The shared projections from {@code values}, fetched once per {@link ParameterValues}
     * instance: merging every layer of a model would otherwise copy both large matrices once per
     * layer.
     */
    private synchronized float[][] sharedProjections(ParameterValues values) {
        if (lastValues != values) {
            lastShared = new float[][] {values.get(SHARED_A), values.get(SHARED_B)};
            lastValues = values;
        }
        return lastShared;
    }

    @Override
    public Set<String> regeneratedConstants() {
        return saveProjection ? Set.of() : Set.of(SHARED_A, SHARED_B);
    }

    /** The rank of the shared projections. */
    public int rank() {
        return r;
    }
}
