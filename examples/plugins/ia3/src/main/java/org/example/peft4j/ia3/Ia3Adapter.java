package org.example.peft4j.ia3;

import java.util.Arrays;
import java.util.List;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Node;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.AdapterContext;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.ParameterValues;
import org.peft4j.api.method.TargetSelector;

/**
 * (IA)³'s adapter for one run: one trainable vector {@code <module>.ia3_l} per target, every
 * element 1 at the start, so the adapter starts as an exact no-op.
 *
 * <p>The {@link Adapter} API adds a delta to a layer's MatMul output {@code x W}, so each rescaling
 * is written as the identity plus a delta:
 * <ul>
 *   <li>output rescaling (keys, values), {@code l} of shape {@code [out]}:
 *       {@code x W + (x W) ⊙ (l − 1) = (x W) ⊙ l}. The delta reads the MatMul output itself, so it
 *       is attached with {@link Graph#addToValue} first (under a reserved name) and computed after,
 *       which keeps it off the redirected readers and avoids a cycle;</li>
 *   <li>input rescaling (FFN output layer), {@code l} of shape {@code [in]}:
 *       {@code x W + (x ⊙ (l − 1)) W = (x ⊙ l) W}. The delta multiplies by the frozen base weight
 *       once more while training (one extra MatMul per FFN output layer); after merging the cost is
 *       nothing.</li>
 * </ul>
 * With {@code l = 1} both deltas are exact zeros, so the adapted model equals the base model bit
 * for bit. The biases are not rescaled (see {@link Ia3Method}).
 *
 * <p>Contract: as {@link Adapter}; the adapter is used for one graph only.
 */
public final class Ia3Adapter implements Adapter {

    /** The role of the scaling vectors. */
    public static final String ROLE = "ia3_l";

    private final HyperParameters params;
    private final TargetSelector targets;
    private final List<String> feedforward;
    private final TargetSelector feedforwardSelector;

    Ia3Adapter(HyperParameters params, List<String> targets, List<String> exclude, List<String> feedforward) {
        this.params = params;
        this.targets = new TargetSelector(params.path() + Ia3Method.TARGETS.key(), targets, exclude);
        this.feedforward = List.copyOf(feedforward);
        this.feedforwardSelector = feedforward.isEmpty() ? null
                : new TargetSelector(params.path() + Ia3Method.FEEDFORWARD.key(), feedforward, List.of());
    }

    @Override
    public List<LinearLayer> selectTargets(List<LinearLayer> layers) {
        List<LinearLayer> chosen = targets.select(layers);
        if (params.contains(Ia3Method.FEEDFORWARD.key()) && feedforwardSelector != null
                && chosen.stream().noneMatch(l -> feedforwardSelector.matches(l.module()))) {
            throw params.invalid(Ia3Method.FEEDFORWARD.key(), feedforward + " matches no targeted layer; targeted layers are named like "
                    + chosen.stream().limit(4).map(LinearLayer::module).toList());
        }
        return chosen;
    }

    /** Whether {@code layer} is rescaled at its input (a feed-forward module) rather than its output. */
    public boolean scalesInput(LinearLayer layer) {
        return feedforwardSelector != null && feedforwardSelector.matches(layer.module());
    }

    @Override
    public void rewrite(LinearLayer layer, AdapterContext context) {
        boolean input = scalesInput(layer);
        int width = input ? layer.in() : layer.out();
        float[] ones = new float[width];
        Arrays.fill(ones, 1f);
        String module = layer.module();
        String l = context.addParameter(new AdapterParameter(module + "." + ROLE, module, ROLE, new long[] {width}, true, false), ones);
        Graph g = context.graph();
        String lMinusOne = g.sub(l, g.scalar(1f));
        if (input) {
            g.addToValue(layer.matMulOutput(), g.matMul(g.mul(layer.input(), lMinusOne), layer.weight()));
        } else {
            String delta = g.uniqueName(module + ".ia3_delta");
            g.addToValue(layer.matMulOutput(), delta);
            g.addNode(new Node(g.uniqueName(module + ".ia3_scale"), "Mul", "", List.of(layer.matMulOutput(), lMinusOne), List.of(delta),
                    List.of()));
        }
    }

    /** {@code W diag(l)} for output rescaling, {@code diag(l) W} for input rescaling, in the {@code [in, out]} layout. */
    @Override
    public float[] merge(LinearLayer layer, float[] baseWeight, ParameterValues values) {
        int in = layer.in();
        int out = layer.out();
        layer.checkWeight(baseWeight);
        boolean input = scalesInput(layer);
        float[] l = values.get(layer.module() + "." + ROLE);
        if (l.length != (input ? in : out)) {
            throw new IllegalArgumentException("(IA)3 vector of " + layer.module() + " has " + l.length + " values, expected "
                    + (input ? in : out));
        }
        float[] merged = new float[in * out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                merged[i * out + o] = baseWeight[i * out + o] * (input ? l[i] : l[o]);
            }
        }
        return merged;
    }
}
