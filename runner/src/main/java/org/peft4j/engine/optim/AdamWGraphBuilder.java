package org.peft4j.engine.optim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;

/**
 * Builds the {@code optimizer_model.onnx} graph: one AdamW step for every trainable parameter, in
 * standard ONNX operators (opset 17).
 *
 * <p>Inputs, in this order: {@value #LEARNING_RATE} (float {@code [G]}, the scheduled learning rate
 * of each of the {@code G} parameter groups), {@value #STEP} (int64 scalar, the 1-based number of
 * this update, used for bias correction), then for each parameter {@code p} in the given order:
 * {@code p}, {@code p_grad}, {@code p.exp_avg}, {@code p.exp_avg_sq}. Outputs: for each parameter
 * {@code p.updated}, {@code p.exp_avg.updated}, {@code p.exp_avg_sq.updated}, then
 * {@value #GRAD_NORM} (float scalar, the global L2 norm of the raw gradients).
 *
 * <p>The update is PyTorch's {@code AdamW} applied after {@code clip_grad_norm_}:
 * <pre>
 *   n = sqrt(sum over all parameters of sum(g^2));  c = min(1, maxNorm / (n + 1e-6))  (if clipping)
 *   g' = c g
 *   p  = p (1 - lr_k wd_k)                                  (decoupled weight decay)
 *   m  = b1 m + (1 - b1) g'
 *   v  = b2 v + (1 - b2) g'^2
 *   p  = p - (lr_k / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * where {@code k} is the parameter's group. Group weight decays and the AdamW constants are
 * baked in; learning rates and the step are inputs, so one compiled optimizer serves the whole
 * schedule.
 */
public final class AdamWGraphBuilder {

    /** Input: the scheduled learning rate of every group, float {@code [G]}. */
    public static final String LEARNING_RATE = "learning_rate";
    /** Input: the 1-based update number, int64 scalar. */
    public static final String STEP = "step";
    /** Output: the global L2 norm of the gradients before clipping. */
    public static final String GRAD_NORM = "grad_norm";

    private AdamWGraphBuilder() {
    }

    /** The gradient input name of {@code param}. */
    public static String gradName(String param) {
        return param + "_grad";
    }

    /** The first-moment input name of {@code param}. */
    public static String firstMomentName(String param) {
        return param + ".exp_avg";
    }

    /** The second-moment input name of {@code param}. */
    public static String secondMomentName(String param) {
        return param + ".exp_avg_sq";
    }

    /** The output name holding the updated value of the input {@code name}. */
    public static String updatedName(String name) {
        return name + ".updated";
    }

    /**
     * Builds the optimizer graph.
     *
     * @param params the trainable parameters, in the order their inputs appear; non-empty, distinct names
     * @param groups the parameter groups that {@link OptimizedParameter#group()} indexes
     * @param settings the AdamW constants
     * @return a graph named {@code optimizer}
     */
    public static Graph build(List<OptimizedParameter> params, List<ParameterGroup> groups, AdamWSettings settings) {
        Objects.requireNonNull(settings, "settings");
        if (params.isEmpty()) {
            throw new IllegalArgumentException("the optimizer needs at least one trainable parameter");
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("the optimizer needs at least one parameter group");
        }
        Set<String> seen = new HashSet<>();
        for (OptimizedParameter p : params) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' is listed twice");
            }
            if (p.group() >= groups.size()) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' names group " + p.group() + " but only "
                        + groups.size() + " groups exist");
            }
        }
        Graph g = new Graph("optimizer", 17);
        g.addInput(new ValueInfo(LEARNING_RATE, DataType.FLOAT, new long[] {groups.size()}));
        g.addInput(new ValueInfo(STEP, DataType.INT64, new long[0]));
        for (OptimizedParameter p : params) {
            g.addInput(new ValueInfo(p.name(), DataType.FLOAT, p.shape()));
            g.addInput(new ValueInfo(gradName(p.name()), DataType.FLOAT, p.shape()));
            g.addInput(new ValueInfo(firstMomentName(p.name()), DataType.FLOAT, p.shape()));
            g.addInput(new ValueInfo(secondMomentName(p.name()), DataType.FLOAT, p.shape()));
        }

        // global gradient norm
        List<String> squares = new ArrayList<>();
        for (OptimizedParameter p : params) {
            String grad = gradName(p.name());
            String sq = g.mul(grad, grad);
            squares.add(g.op("ReduceSum", List.of(sq), new Attribute.Int("keepdims", 0)));
        }
        String sumSq = squares.size() == 1 ? squares.get(0) : g.op("Sum", squares);
        String norm = g.op("Sqrt", List.of(sumSq));
        String clip = null;
        if (settings.maxGradNorm() > 0) {
            String coef = g.div(g.scalar((float) settings.maxGradNorm()), g.add(norm, g.scalar(1e-6f)));
            clip = g.op("Min", List.of(coef, g.scalar(1f)));
        }

        // bias corrections
        String t = g.op("Cast", List.of(STEP), new Attribute.Int("to", DataType.FLOAT.onnxCode()));
        String bc1 = g.sub(g.scalar(1f), g.op("Pow", List.of(g.scalar((float) settings.beta1()), t)));
        String bc2 = g.sub(g.scalar(1f), g.op("Pow", List.of(g.scalar((float) settings.beta2()), t)));
        String sqrtBc2 = g.op("Sqrt", List.of(bc2));

        // per-group step size and decay factor
        List<String> stepSize = new ArrayList<>();
        List<String> decay = new ArrayList<>();
        for (int k = 0; k < groups.size(); k++) {
            String index = g.constant(Tensor.ofLongs("group_index", new long[0], new long[] {k}));
            String lr = g.op("Gather", List.of(LEARNING_RATE, index), new Attribute.Int("axis", 0));
            stepSize.add(g.div(lr, bc1));
            double wd = groups.get(k).weightDecay();
            decay.add(wd == 0 ? null : g.sub(g.scalar(1f), g.mul(lr, g.scalar((float) wd))));
        }

        String b1 = g.scalar((float) settings.beta1());
        String oneMinusB1 = g.scalar((float) (1 - settings.beta1()));
        String b2 = g.scalar((float) settings.beta2());
        String oneMinusB2 = g.scalar((float) (1 - settings.beta2()));
        String eps = g.scalar((float) settings.epsilon());
        List<String[]> outputs = new ArrayList<>();
        for (OptimizedParameter p : params) {
            String grad = gradName(p.name());
            if (clip != null) {
                grad = g.mul(grad, clip);
            }
            String param = p.name();
            if (decay.get(p.group()) != null) {
                param = g.mul(param, decay.get(p.group()));
            }
            String m = g.add(g.mul(firstMomentName(p.name()), b1), g.mul(grad, oneMinusB1));
            String v = g.add(g.mul(secondMomentName(p.name()), b2), g.mul(g.mul(grad, grad), oneMinusB2));
            String denom = g.add(g.div(g.op("Sqrt", List.of(v)), sqrtBc2), eps);
            String updated = g.sub(param, g.mul(g.div(m, denom), stepSize.get(p.group())));
            outputs.add(new String[] {p.name(), updated, m, v});
        }
        for (int i = 0; i < params.size(); i++) {
            OptimizedParameter p = params.get(i);
            String[] o = outputs.get(i);
            identity(g, o[1], updatedName(o[0]), p.shape());
            identity(g, o[2], updatedName(firstMomentName(o[0])), p.shape());
            identity(g, o[3], updatedName(secondMomentName(o[0])), p.shape());
        }
        identity(g, norm, GRAD_NORM, new long[0]);
        return g;
    }

    private static void identity(Graph g, String from, String to, long[] shape) {
        g.addNode(new Node(g.uniqueName("Identity"), "Identity", "", List.of(from), List.of(to), List.of()));
        g.addOutput(new ValueInfo(to, DataType.FLOAT, shape));
    }
}
