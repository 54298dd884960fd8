package org.peft4j.engine.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.onnx.OpsetUpgrader;
import org.peft4j.engine.shape.ShapeInference;

/**
 * Reverse-mode differentiation of a peft4j graph in standard ONNX operators.
 *
 * <p>{@link #addGradients} appends, for a scalar loss and a set of float graph inputs or
 * initializers, the backward nodes and one graph output {@code <value>_grad} per requested value.
 * Only nodes on a path from a requested value to the loss are differentiated: activations that
 * flow through frozen weights get gradients, the frozen weights themselves get none. Integer,
 * bool and shape values ({@code Shape}, {@code Gather} on shapes, {@code Equal}, {@code Where}
 * conditions, casts to integers) are constants. Broadcasting is undone with {@code ReduceSum}
 * over the broadcast axes.
 *
 * <p>Performance: the backward reads the forward values it needs (inputs and outputs of the
 * forward nodes) instead of recomputing them; the few cheap element-wise terms that no forward
 * node outputs (the normalised input of {@code LayerNormalization}, the one-hot target of a
 * cross-entropy) are computed once. The weight gradient of a linear layer {@code X[..., in] @
 * W[in, out]} is one 2-D MatMul {@code reshape(X)^T @ reshape(dY)}, whose transpose ONNX Runtime
 * fuses into the MatMul; activation gradients are {@code dY @ W^T}, where the transpose of a
 * frozen weight is constant-folded by the runtime. LayerNorms spelled out as in the Hugging Face
 * exports are first replaced by {@code LayerNormalization} nodes ({@link LayerNormFusion}), which
 * the runtime can still fuse although the backward reads their saved statistics.
 *
 * <p>Operators with gradient rules: Add, Sub, Mul, Div, Pow (exponent not differentiated), Sqrt,
 * Erf, Exp, Log, Neg, Abs, Reciprocal, Tanh, Relu, LeakyRelu, Sigmoid, Softplus, Clip (constant
 * bounds), Max and Min (two inputs), Sum, Mean, Identity, MatMul (any rank), Gemm, Gather (to the
 * data, by {@code ScatterND} with add reduction), Reshape, Flatten, Transpose, Unsqueeze, Squeeze,
 * Concat, Split, Slice, Expand, Where, Cast, Softmax, LogSoftmax, ReduceMean, ReduceSum,
 * LayerNormalization, Dropout (the backward reuses the node's own mask output, so it applies the
 * very mask of the forward pass; a {@code training_mode} fed at run time is honoured), and
 * SoftmaxCrossEntropyLoss. Nodes that produce no float value
 * ({@code Shape}, {@code Constant}, {@code ConstantOfShape}, comparisons) need none.
 *
 * <p>Contract: the graph must be specialised (every shape on a differentiated path static, see
 * {@link ShapeInference#specialize}); it may be at opset 13 or newer. The graph is changed in
 * place: backward nodes, constants and outputs are added, and {@code Dropout},
 * {@code LayerNormalization} and {@code SoftmaxCrossEntropyLoss} nodes on the path get their
 * optional mask, statistics and log-probability outputs; afterwards the graph's recorded value
 * infos describe exactly its current values, backward ones included. Errors are {@link GradientException}s
 * naming the node, its operator and the path; bad arguments are
 * {@link IllegalArgumentException}s. Not thread-safe.
 */
public final class GradientBuilder {

    private final Graph graph;
    private Map<String, ValueInfo> infos;
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, List<String>> contributions = new HashMap<>();
    private final Map<String, String> summed = new HashMap<>();
    private final Map<String, String> constants = new HashMap<>();
    private final Map<String, String> activeFrom = new HashMap<>();
    private final Map<String, Node> towardLoss = new HashMap<>();
    private final List<Node> emitted = new ArrayList<>();
    private final Map<Node, Node> replaced = new HashMap<>();
    private String prefix = "grad";
    private Set<String> onPath;

    /**
     * @param graph a specialised graph (static shapes), changed by {@link #addGradients}
     */
    public GradientBuilder(Graph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    /**
     * Adds backward nodes and one graph output {@code <value>_grad} per requested value.
     *
     * @param scalarLoss a float value of the graph with exactly one element
     * @param wrt graph inputs or initializers of a floating-point type
     * @return value name to gradient output name, in the iteration order of {@code wrt}
     * @throws IllegalArgumentException when the loss or a requested value does not qualify, or an
     *     output name {@code <value>_grad} is taken
     * @throws GradientException when an operator on a differentiated path has no gradient rule
     */
    public Map<String, String> addGradients(String scalarLoss, Set<String> wrt) {
        Objects.requireNonNull(scalarLoss, "scalarLoss");
        Objects.requireNonNull(wrt, "wrt");
        if (graph.opset() < 13) {
            throw new IllegalArgumentException("graph '" + graph.name() + "' uses opset " + graph.opset()
                    + "; upgrade it to 13 or newer before differentiating");
        }
        contributions.clear();
        constants.clear();
        summed.clear();
        activeFrom.clear();
        towardLoss.clear();
        emitted.clear();
        replaced.clear();
        producers.clear();
        graph.sortTopologically();
        LayerNormFusion.apply(graph);
        infos = new HashMap<>(ShapeInference.infer(graph));
        ValueInfo lossInfo = infos.get(scalarLoss);
        if (lossInfo == null) {
            throw new IllegalArgumentException("loss '" + scalarLoss + "' is not a value of graph '" + graph.name() + "'");
        }
        if (!lossInfo.type().isFloatingPoint() || lossInfo.elementCount() != 1) {
            throw new IllegalArgumentException("loss '" + scalarLoss + "' must be a float value with one element, is " + lossInfo);
        }
        for (String w : wrt) {
            ValueInfo v = infos.get(w);
            if (v == null || !(graph.isInput(w) || graph.initializer(w) != null)) {
                throw new IllegalArgumentException("'" + w + "' is neither a graph input nor an initializer of graph '" + graph.name() + "'");
            }
            if (!v.type().isFloatingPoint()) {
                throw new IllegalArgumentException("cannot differentiate with respect to '" + w + "' of type " + v.type());
            }
            if (graph.isOutput(w + "_grad") || infos.containsKey(w + "_grad")) {
                throw new IllegalArgumentException("the gradient output name '" + w + "_grad' is already used");
            }
        }
        for (Node n : graph.nodes()) {
            for (String o : n.outputs()) {
                producers.put(o, n);
            }
        }
        markPaths(scalarLoss, wrt);

        ValueInfo li = infos.get(scalarLoss);
        String seed = constant(Tensor.ofDoubles("", li.shape(), new double[] {1.0}), li.type());
        contributions.computeIfAbsent(scalarLoss, k -> new ArrayList<>()).add(seed);

        List<Node> forward = new ArrayList<>(graph.nodes());
        for (int i = forward.size() - 1; i >= 0; i--) {
            Node n = forward.get(i);
            if (!needsBackward(n)) {
                continue;
            }
            prefix = n.name() + "_grad";
            backward(n);
        }

        Map<String, String> result = new LinkedHashMap<>();
        for (String w : wrt) {
            ValueInfo v = infos.get(w);
            String g = gradient(w);
            String out = w + "_grad";
            if (g == null) {
                emitTo("ConstantOfShape", List.of(shapeConst(v.shape())), out,
                        new Attribute.TensorValue("value", zeroTensor(v.type())));
            } else {
                emitTo("Identity", List.of(g), out);
            }
            result.put(w, out);
        }
        applyReplacements();
        graph.addNodes(emitted);
        for (String w : wrt) {
            graph.addOutput(infos.get(w).withName(w + "_grad"));
        }
        graph.sortTopologically();
        ShapeInference.record(graph);
        return result;
    }

    // ------------------------------------------------------------------ path analysis

    private void markPaths(String loss, Set<String> wrt) {
        Set<String> active = new HashSet<>();
        for (String w : wrt) {
            active.add(w);
            activeFrom.put(w, null);
        }
        for (Node n : graph.nodes()) {
            String from = null;
            for (String in : n.inputs()) {
                if (active.contains(in)) {
                    from = in;
                    break;
                }
            }
            if (from == null) {
                continue;
            }
            for (String o : n.outputs()) {
                ValueInfo v = infos.get(o);
                if (!o.isEmpty() && v != null && v.type().isFloatingPoint()) {
                    active.add(o);
                    activeFrom.put(o, from);
                }
            }
        }
        Set<String> reach = new HashSet<>();
        reach.add(loss);
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            boolean contributes = false;
            for (String o : n.outputs()) {
                if (reach.contains(o)) {
                    contributes = true;
                    break;
                }
            }
            if (contributes) {
                for (String in : n.inputs()) {
                    if (!in.isEmpty() && reach.add(in)) {
                        towardLoss.put(in, n);
                    }
                }
            }
        }
        onPath = new HashSet<>();
        for (String v : active) {
            if (reach.contains(v)) {
                onPath.add(v);
            }
        }
    }

    private boolean needsBackward(Node n) {
        boolean inputOnPath = false;
        for (String in : n.inputs()) {
            if (onPath.contains(in)) {
                inputOnPath = true;
                break;
            }
        }
        if (!inputOnPath) {
            return false;
        }
        for (String o : n.outputs()) {
            if (onPath.contains(o) && contributions.containsKey(o)) {
                return true;
            }
        }
        return false;
    }

    private boolean diff(Node n, int input) {
        return input < n.inputs().size() && onPath.contains(n.input(input));
    }

    // ------------------------------------------------------------------ rules

    private void backward(Node n) {
        String op = n.domain().isEmpty() ? n.opType() : n.domain() + "." + n.opType();
        switch (op) {
            case "Add" -> {
                String gy = gradient(n.output(0));
                if (diff(n, 0)) {
                    accumulate(n, 0, unbroadcastTo(gy, n.output(0), n.input(0)));
                }
                if (diff(n, 1)) {
                    accumulate(n, 1, unbroadcastTo(gy, n.output(0), n.input(1)));
                }
            }
            case "Sub" -> {
                String gy = gradient(n.output(0));
                if (diff(n, 0)) {
                    accumulate(n, 0, unbroadcastTo(gy, n.output(0), n.input(0)));
                }
                if (diff(n, 1)) {
                    accumulate(n, 1, emit("Neg", unbroadcastTo(gy, n.output(0), n.input(1))));
                }
            }
            case "Mul" -> {
                String gy = gradient(n.output(0));
                if (diff(n, 0)) {
                    accumulate(n, 0, unbroadcastTo(emit("Mul", gy, n.input(1)), n.output(0), n.input(0)));
                }
                if (diff(n, 1)) {
                    accumulate(n, 1, unbroadcastTo(emit("Mul", gy, n.input(0)), n.output(0), n.input(1)));
                }
            }
            case "Div" -> {
                String gy = gradient(n.output(0));
                String t = emit("Div", gy, n.input(1));
                if (diff(n, 0)) {
                    accumulate(n, 0, unbroadcastTo(t, n.output(0), n.input(0)));
                }
                if (diff(n, 1)) {
                    accumulate(n, 1, emit("Neg", unbroadcastTo(emit("Mul", t, n.output(0)), n.output(0), n.input(1))));
                }
            }
            case "Pow" -> pow(n);
            case "Sqrt" -> {
                String gy = gradient(n.output(0));
                accumulate(n, 0, emit("Div", emit("Mul", gy, scalar(0.5, n.input(0))), n.output(0)));
            }
            case "Erf" -> {
                String gy = gradient(n.output(0));
                String x = n.input(0);
                String e = emit("Exp", emit("Neg", emit("Mul", x, x)));
                accumulate(n, 0, emit("Mul", gy, emit("Mul", e, scalar(2.0 / Math.sqrt(Math.PI), x))));
            }
            case "Exp" -> accumulate(n, 0, emit("Mul", gradient(n.output(0)), n.output(0)));
            case "Log" -> accumulate(n, 0, emit("Div", gradient(n.output(0)), n.input(0)));
            case "Neg" -> accumulate(n, 0, emit("Neg", gradient(n.output(0))));
            case "Abs" -> accumulate(n, 0, emit("Mul", gradient(n.output(0)), emit("Sign", n.input(0))));
            case "Identity" -> accumulate(n, 0, gradient(n.output(0)));
            case "Tanh" -> {
                String y = n.output(0);
                String d = emit("Sub", scalar(1.0, y), emit("Mul", y, y));
                accumulate(n, 0, emit("Mul", gradient(y), d));
            }
            case "Sigmoid" -> {
                String y = n.output(0);
                String d = emit("Mul", y, emit("Sub", scalar(1.0, y), y));
                accumulate(n, 0, emit("Mul", gradient(y), d));
            }
            case "Relu" -> {
                String y = n.output(0);
                String positive = emit("Greater", y, scalar(0.0, y));
                accumulate(n, 0, emit("Where", positive, gradient(y), scalar(0.0, y)));
            }
            case "MatMul" -> matMul(n);
            case "Gemm" -> gemm(n);
            case "Gather" -> gather(n);
            case "Reshape", "Flatten", "Squeeze", "Unsqueeze" ->
                    accumulate(n, 0, reshape(gradient(n.output(0)), shape(n.input(0))));
            case "Transpose" -> {
                long[] perm = perm(n);
                long[] inv = new long[perm.length];
                for (int i = 0; i < perm.length; i++) {
                    inv[(int) perm[i]] = i;
                }
                accumulate(n, 0, emit("Transpose", List.of(gradient(n.output(0))), Attribute.ints("perm", inv)));
            }
            case "Concat" -> concat(n);
            case "Split" -> split(n);
            case "Slice" -> slice(n);
            case "Expand" -> accumulate(n, 0, unbroadcastTo(gradient(n.output(0)), n.output(0), n.input(0)));
            case "Where" -> {
                String gy = gradient(n.output(0));
                String zero = scalar(0.0, n.output(0));
                if (diff(n, 1)) {
                    accumulate(n, 1, unbroadcastTo(emit("Where", n.input(0), gy, zero), n.output(0), n.input(1)));
                }
                if (diff(n, 2)) {
                    accumulate(n, 2, unbroadcastTo(emit("Where", n.input(0), zero, gy), n.output(0), n.input(2)));
                }
            }
            case "Cast" -> {
                DataType to = type(n.input(0));
                accumulate(n, 0, emit("Cast", List.of(gradient(n.output(0))), new Attribute.Int("to", to.onnxCode())));
            }
            case "Softmax" -> {
                String y = n.output(0);
                String gy = gradient(y);
                long axis = n.intAttr("axis", -1);
                String s = reduceSum(emit("Mul", gy, y), new long[] {axis}, true);
                accumulate(n, 0, emit("Mul", y, emit("Sub", gy, s)));
            }
            case "LogSoftmax" -> {
                String y = n.output(0);
                String gy = gradient(y);
                long axis = n.intAttr("axis", -1);
                String s = reduceSum(gy, new long[] {axis}, true);
                accumulate(n, 0, emit("Sub", gy, emit("Mul", emit("Exp", y), s)));
            }
            case "ReduceSum", "ReduceMean" -> reduce(n);
            case "Sum" -> {
                String gy = gradient(n.output(0));
                for (int i = 0; i < n.inputs().size(); i++) {
                    if (diff(n, i)) {
                        accumulate(n, i, unbroadcastTo(gy, n.output(0), n.input(i)));
                    }
                }
            }
            case "Mean" -> {
                String gy = emit("Mul", gradient(n.output(0)), scalar(1.0 / n.inputs().size(), n.output(0)));
                for (int i = 0; i < n.inputs().size(); i++) {
                    if (diff(n, i)) {
                        accumulate(n, i, unbroadcastTo(gy, n.output(0), n.input(i)));
                    }
                }
            }
            case "Max", "Min" -> {
                if (n.inputs().size() != 2) {
                    throw unsupported(n, op + " of " + n.inputs().size() + " inputs; only two are supported");
                }
                String gy = gradient(n.output(0));
                String zero = scalar(0.0, n.output(0));
                String first = emit(op.equals("Max") ? "GreaterOrEqual" : "LessOrEqual", n.input(0), n.input(1));
                if (diff(n, 0)) {
                    accumulate(n, 0, unbroadcastTo(emit("Where", first, gy, zero), n.output(0), n.input(0)));
                }
                if (diff(n, 1)) {
                    accumulate(n, 1, unbroadcastTo(emit("Where", first, zero, gy), n.output(0), n.input(1)));
                }
            }
            case "Clip" -> {
                if (diff(n, 1) || diff(n, 2)) {
                    throw unsupported(n, "the bounds of Clip require a gradient; only constant bounds are supported");
                }
                String x = n.input(0);
                String inside = null;
                if (!n.input(1).isEmpty()) {
                    inside = emit("GreaterOrEqual", x, n.input(1));
                }
                if (!n.input(2).isEmpty()) {
                    String below = emit("LessOrEqual", x, n.input(2));
                    inside = inside == null ? below : emit("And", inside, below);
                }
                String gy = gradient(n.output(0));
                accumulate(n, 0, inside == null ? gy : emit("Where", inside, gy, scalar(0.0, x)));
            }
            case "Reciprocal" -> {
                String y = n.output(0);
                accumulate(n, 0, emit("Neg", emit("Mul", gradient(y), emit("Mul", y, y))));
            }
            case "LeakyRelu" -> {
                String x = n.input(0);
                String gy = gradient(n.output(0));
                String scaled = emit("Mul", gy, scalar(n.floatAttr("alpha", 0.01f), x));
                accumulate(n, 0, emit("Where", emit("Greater", x, scalar(0.0, x)), gy, scaled));
            }
            case "Softplus" -> accumulate(n, 0, emit("Mul", gradient(n.output(0)), emit("Sigmoid", n.input(0))));
            case "LayerNormalization" -> layerNorm(n);
            case "Dropout" -> dropout(n);
            case "SoftmaxCrossEntropyLoss" -> crossEntropy(n);
            default -> throw unsupported(n, "operator " + op + " has no gradient rule");
        }
    }

    private void pow(Node n) {
        if (diff(n, 1)) {
            throw unsupported(n, "the exponent '" + n.input(1) + "' of Pow requires a gradient; only constant exponents are supported");
        }
        String gy = gradient(n.output(0));
        String x = n.input(0);
        Tensor e = graph.initializer(n.input(1));
        String local;
        if (e != null && e.elementCount() == 1 && (e.type() == DataType.FLOAT || e.type() == DataType.DOUBLE)) {
            double c = e.type() == DataType.FLOAT ? e.floats()[0] : e.doubles()[0];
            if (c == 1.0) {
                local = null;
            } else if (c == 2.0) {
                local = emit("Mul", x, scalar(2.0, x));
            } else if (c == 0.5) {
                local = emit("Div", scalar(0.5, x), n.output(0));
            } else {
                local = emit("Mul", emit("Pow", x, scalar(c - 1.0, x)), scalar(c, x));
            }
        } else {
            String exponent = n.input(1);
            if (type(exponent) != type(x)) {
                exponent = emit("Cast", List.of(exponent), new Attribute.Int("to", type(x).onnxCode()));
            }
            local = emit("Mul", exponent, emit("Pow", x, emit("Sub", exponent, scalar(1.0, x))));
        }
        String g = local == null ? gy : emit("Mul", gy, local);
        accumulate(n, 0, unbroadcastTo(g, n.output(0), x));
    }

    private void matMul(Node n) {
        String gy = gradient(n.output(0));
        String a = n.input(0);
        String b = n.input(1);
        long[] sa = shape(a);
        long[] sb = shape(b);
        long[] sy = shape(n.output(0));
        if (sa.length == 1 || sb.length == 1) {
            // promote vectors to matrices, then reshape the gradients back
            long[] pa = sa.length == 1 ? new long[] {1, sa[0]} : sa;
            long[] pb = sb.length == 1 ? new long[] {sb[0], 1} : sb;
            String a2 = sa.length == 1 ? reshape(a, pa) : a;
            String b2 = sb.length == 1 ? reshape(b, pb) : b;
            long[] py = matMulShape(pa, pb);
            String gy2 = reshape(gy, py);
            if (diff(n, 0)) {
                String ga = unbroadcast(emit("MatMul", gy2, transposeLast(b2, pb.length)), batched(py, pa), pa);
                accumulate(n, 0, reshape(ga, sa));
            }
            if (diff(n, 1)) {
                String gb = unbroadcast(emit("MatMul", transposeLast(a2, pa.length), gy2), batched(py, pb), pb);
                accumulate(n, 1, reshape(gb, sb));
            }
            return;
        }
        if (diff(n, 0)) {
            if (sb.length == 2) {
                accumulate(n, 0, emit("MatMul", gy, transposeLast(b, 2)));
            } else {
                String ga = emit("MatMul", gy, transposeLast(b, sb.length));
                accumulate(n, 0, unbroadcast(ga, batched(sy, sa), sa));
            }
        }
        if (diff(n, 1)) {
            if (sb.length == 2) {
                long k = sa[sa.length - 1];
                long m = sy[sy.length - 1];
                String a2 = sa.length == 2 ? a : reshape(a, new long[] {-1, k});
                String g2 = sy.length == 2 ? gy : reshape(gy, new long[] {-1, m});
                accumulate(n, 1, emit("MatMul", transposeLast(a2, 2), g2));
            } else {
                String gb = emit("MatMul", transposeLast(a, sa.length), gy);
                accumulate(n, 1, unbroadcast(gb, batched(sy, sb), sb));
            }
        }
    }

    /** The shape of {@code dX} for a batched MatMul: the output's batch axes with the operand's matrix axes. */
    private static long[] batched(long[] outShape, long[] operand) {
        long[] r = outShape.clone();
        r[r.length - 2] = operand[operand.length - 2];
        r[r.length - 1] = operand[operand.length - 1];
        return r;
    }

    private static long[] matMulShape(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] r = new long[rank];
        for (int i = 0; i < rank - 2; i++) {
            int ia = i - (rank - a.length);
            int ib = i - (rank - b.length);
            long da = ia >= 0 ? a[ia] : 1;
            long db = ib >= 0 ? b[ib] : 1;
            r[i] = Math.max(da, db);
        }
        r[rank - 2] = a[a.length - 2];
        r[rank - 1] = b[b.length - 1];
        return r;
    }

    private String transposeLast(String x, int rank) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 1] = rank - 2;
        perm[rank - 2] = rank - 1;
        return emit("Transpose", List.of(x), Attribute.ints("perm", perm));
    }

    private void gemm(Node n) {
        String gy = gradient(n.output(0));
        boolean ta = n.intAttr("transA", 0) != 0;
        boolean tb = n.intAttr("transB", 0) != 0;
        double alpha = n.floatAttr("alpha", 1f);
        double beta = n.floatAttr("beta", 1f);
        String a = n.input(0);
        String b = n.input(1);
        String g = alpha == 1.0 ? gy : emit("Mul", gy, scalar(alpha, n.output(0)));
        if (diff(n, 0)) {
            String bT = tb ? b : transposeLast(b, 2);
            String da = emit("MatMul", g, bT);
            accumulate(n, 0, ta ? transposeLast(da, 2) : da);
        }
        if (diff(n, 1)) {
            String aT = ta ? a : transposeLast(a, 2);
            String db = emit("MatMul", aT, g);
            accumulate(n, 1, tb ? transposeLast(db, 2) : db);
        }
        if (diff(n, 2)) {
            String gc = beta == 1.0 ? gy : emit("Mul", gy, scalar(beta, n.output(0)));
            accumulate(n, 2, unbroadcastTo(gc, n.output(0), n.input(2)));
        }
    }

    private void gather(Node n) {
        if (!diff(n, 0)) {
            return;
        }
        String gy = gradient(n.output(0));
        String data = n.input(0);
        String idx = n.input(1);
        long[] ds = shape(data);
        long[] is = shape(idx);
        int axis = (int) normAxis(n, n.intAttr("axis", 0), ds.length);
        long count = 1;
        for (long d : is) {
            count *= d;
        }
        if (type(idx) != DataType.INT64) {
            idx = emit("Cast", List.of(idx), new Attribute.Int("to", DataType.INT64.onnxCode()));
        }
        String idx2 = reshape(idx, new long[] {count, 1});
        // gy has shape ds[:axis] + is + ds[axis+1:]; move the index axes to the front
        int ri = is.length;
        String g = gy;
        long[] rest = new long[ds.length - 1];
        int k = 0;
        for (int i = 0; i < ds.length; i++) {
            if (i != axis) {
                rest[k++] = ds[i];
            }
        }
        if (axis > 0) {
            int rank = ds.length - 1 + ri;
            long[] perm = new long[rank];
            int p = 0;
            for (int i = 0; i < ri; i++) {
                perm[p++] = axis + i;
            }
            for (int i = 0; i < axis; i++) {
                perm[p++] = i;
            }
            for (int i = axis + ri; i < rank; i++) {
                perm[p++] = i;
            }
            g = emit("Transpose", List.of(g), Attribute.ints("perm", perm));
        }
        long[] updShape = new long[1 + rest.length];
        updShape[0] = count;
        System.arraycopy(rest, 0, updShape, 1, rest.length);
        String updates = reshape(g, updShape);
        long[] zerosShape = new long[1 + rest.length];
        zerosShape[0] = ds[axis];
        System.arraycopy(rest, 0, zerosShape, 1, rest.length);
        String zeros = emit("ConstantOfShape", List.of(shapeConst(zerosShape)), new Attribute.TensorValue("value", zeroTensor(type(data))));
        String scattered = emit("ScatterND", List.of(zeros, idx2, updates), new Attribute.Str("reduction", "add"));
        if (axis > 0) {
            long[] perm = new long[ds.length];
            for (int i = 0; i < axis; i++) {
                perm[i] = i + 1;
            }
            perm[axis] = 0;
            for (int i = axis + 1; i < ds.length; i++) {
                perm[i] = i;
            }
            scattered = emit("Transpose", List.of(scattered), Attribute.ints("perm", perm));
        }
        accumulate(n, 0, scattered);
    }

    private void concat(Node n) {
        String gy = gradient(n.output(0));
        long[] sy = shape(n.output(0));
        int axis = (int) normAxis(n, n.intAttr("axis", 0), sy.length);
        int inputs = n.inputs().size();
        long[] sizes = new long[inputs];
        int differentiated = 0;
        for (int i = 0; i < inputs; i++) {
            sizes[i] = shape(n.input(i))[axis];
            differentiated += diff(n, i) ? 1 : 0;
        }
        if (differentiated == 1) {
            long offset = 0;
            for (int i = 0; i < inputs; i++) {
                if (diff(n, i)) {
                    String part = emit("Slice", List.of(gy, vectorConst(offset), vectorConst(offset + sizes[i]), vectorConst(axis)));
                    accumulate(n, i, part);
                }
                offset += sizes[i];
            }
            return;
        }
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            outs.add(graph.uniqueName(prefix + "_part"));
        }
        emitNode("Split", List.of(gy, vectorConst(sizes)), outs, new Attribute.Int("axis", axis));
        for (int i = 0; i < inputs; i++) {
            if (diff(n, i)) {
                accumulate(n, i, outs.get(i));
            }
        }
    }

    private void split(Node n) {
        long[] sx = shape(n.input(0));
        int axis = (int) normAxis(n, n.intAttr("axis", 0), sx.length);
        List<String> parts = new ArrayList<>();
        for (String o : n.outputs()) {
            String g = gradient(o);
            if (g == null) {
                g = emit("ConstantOfShape", List.of(shapeConst(shape(o))), new Attribute.TensorValue("value", zeroTensor(type(o))));
            }
            parts.add(g);
        }
        accumulate(n, 0, emit("Concat", parts, new Attribute.Int("axis", axis)));
    }

    private void slice(Node n) {
        String gy = gradient(n.output(0));
        long[] sx = shape(n.input(0));
        long[] starts = constLongs(n, 1);
        long[] ends = constLongs(n, 2);
        long[] axes = n.input(3).isEmpty() ? null : constLongs(n, 3);
        long[] steps = n.input(4).isEmpty() ? null : constLongs(n, 4);
        long[][] plan = new long[sx.length][];
        for (int i = 0; i < sx.length; i++) {
            plan[i] = new long[] {0, 1, sx[i]};
        }
        boolean unitSteps = true;
        for (int i = 0; i < starts.length; i++) {
            int axis = (int) normAxis(n, axes == null ? i : axes[i], sx.length);
            long dim = sx[axis];
            long step = steps == null ? 1 : steps[i];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            long count;
            if (step > 0) {
                s = Math.max(0, Math.min(dim, s));
                e = Math.max(0, Math.min(dim, e));
                count = Math.max(0, (e - s + step - 1) / step);
            } else {
                s = Math.max(-1, Math.min(dim - 1, s));
                e = Math.max(-1, Math.min(dim - 1, e));
                count = Math.max(0, (s - e - step - 1) / (-step));
            }
            plan[axis] = new long[] {s, step, count};
            unitSteps &= step == 1;
        }
        if (unitSteps) {
            long[] pads = new long[2 * sx.length];
            for (int i = 0; i < sx.length; i++) {
                pads[i] = plan[i][0];
                pads[i + sx.length] = sx[i] - plan[i][0] - plan[i][2];
            }
            accumulate(n, 0, emit("Pad", gy, vectorConst(pads)));
            return;
        }
        // general steps: scatter the gradient into zeros at the sliced positions
        long[] sy = shape(n.output(0));
        long total = 1;
        for (long d : sy) {
            total *= d;
        }
        long[] indices = new long[(int) (total * sx.length)];
        long[] pos = new long[sy.length];
        for (int i = 0; i < total; i++) {
            for (int k = 0; k < sx.length; k++) {
                indices[i * sx.length + k] = plan[k][0] + pos[k] * plan[k][1];
            }
            for (int k = sy.length - 1; k >= 0; k--) {
                if (++pos[k] < sy[k]) {
                    break;
                }
                pos[k] = 0;
            }
        }
        long[] idxShape = Arrays.copyOf(sy, sy.length + 1);
        idxShape[sy.length] = sx.length;
        String idx = constant(Tensor.ofLongs("", idxShape, indices), DataType.INT64);
        String zeros = emit("ConstantOfShape", List.of(shapeConst(sx)), new Attribute.TensorValue("value", zeroTensor(type(n.input(0)))));
        accumulate(n, 0, emit("ScatterND", zeros, idx, gy));
    }

    private void reduce(Node n) {
        String gy = gradient(n.output(0));
        long[] sx = shape(n.input(0));
        long[] axes = n.intsAttr("axes");
        if (axes == null && !n.input(1).isEmpty()) {
            axes = constLongs(n, 1);
        }
        if (axes == null || axes.length == 0) {
            if (n.intAttr("noop_with_empty_axes", 0) != 0) {
                accumulate(n, 0, gy);
                return;
            }
            axes = new long[sx.length];
            for (int i = 0; i < sx.length; i++) {
                axes[i] = i;
            }
        }
        long[] kept = sx.clone();
        long count = 1;
        for (long a : axes) {
            int ax = (int) normAxis(n, a, sx.length);
            count *= sx[ax];
            kept[ax] = 1;
        }
        String g = n.intAttr("keepdims", 1) != 0 ? gy : reshape(gy, kept);
        if (n.opType().equals("ReduceMean")) {
            g = emit("Mul", g, scalar(1.0 / count, n.output(0)));
        }
        accumulate(n, 0, Arrays.equals(kept, sx) ? g : emit("Expand", g, shapeConst(sx)));
    }

    private void layerNorm(Node n) {
        Node ln = withOutputs(n, 3);
        String gy = gradient(ln.output(0));
        String x = ln.input(0);
        long[] sx = shape(x);
        int axis = (int) normAxis(n, ln.intAttr("axis", -1), sx.length);
        DataType t = type(x);
        String mean = ln.output(1);
        String inv = ln.output(2);
        if (type(mean) != t) {
            mean = emit("Cast", List.of(mean), new Attribute.Int("to", t.onnxCode()));
            inv = emit("Cast", List.of(inv), new Attribute.Int("to", t.onnxCode()));
        }
        String xhat = emit("Mul", emit("Sub", x, mean), inv);
        long[] lead = new long[axis];
        for (int i = 0; i < axis; i++) {
            lead[i] = i;
        }
        long[] norm = new long[sx.length - axis];
        for (int i = axis; i < sx.length; i++) {
            norm[i - axis] = i;
        }
        long[] normShape = Arrays.copyOfRange(sx, axis, sx.length);
        if (diff(ln, 1)) {
            String gs = lead.length == 0 ? emit("Mul", gy, xhat) : reduceSum(emit("Mul", gy, xhat), lead, false);
            accumulate(ln, 1, unbroadcast(gs, normShape, shape(ln.input(1))));
        }
        if (diff(ln, 2)) {
            String gb = lead.length == 0 ? gy : reduceSum(gy, lead, false);
            accumulate(ln, 2, unbroadcast(gb, normShape, shape(ln.input(2))));
        }
        if (diff(ln, 0)) {
            String dxhat = emit("Mul", gy, ln.input(1));
            String m1 = reduceMean(dxhat, norm);
            String m2 = reduceMean(emit("Mul", dxhat, xhat), norm);
            String inner = emit("Sub", emit("Sub", dxhat, m1), emit("Mul", xhat, m2));
            accumulate(ln, 0, emit("Mul", inv, inner));
        }
    }

    private void dropout(Node n) {
        String gy = gradient(n.output(0));
        boolean training = false;
        String runtimeMode = null;
        if (!n.input(2).isEmpty()) {
            Tensor mode = graph.initializer(n.input(2));
            training = mode == null || mode.longs()[0] != 0;
            runtimeMode = mode == null ? n.input(2) : null;
        }
        if (!training) {
            accumulate(n, 0, gy);
            return;
        }
        Node d = withOutputs(n, 2);
        String mask = emit("Cast", List.of(d.output(1)), new Attribute.Int("to", type(d.input(0)).onnxCode()));
        String masked = emit("Mul", gy, mask);
        Tensor ratio = d.input(1).isEmpty() ? null : graph.initializer(d.input(1));
        String scaled;
        if (d.input(1).isEmpty()) {
            scaled = emit("Mul", masked, scalar(2.0, d.input(0)));
        } else if (ratio != null && ratio.elementCount() == 1) {
            double r = ratio.type() == DataType.DOUBLE ? ratio.doubles()[0] : ratio.type() == DataType.FLOAT ? ratio.floats()[0] : 0;
            scaled = r == 0 ? masked : emit("Mul", masked, scalar(1.0 / (1.0 - r), d.input(0)));
        } else {
            String r = d.input(1);
            if (type(r) != type(d.input(0))) {
                r = emit("Cast", List.of(r), new Attribute.Int("to", type(d.input(0)).onnxCode()));
            }
            scaled = emit("Div", masked, emit("Sub", scalar(1.0, d.input(0)), r));
        }
        if (runtimeMode != null) {
            // training_mode is fed at run time: in inference mode the mask is all true and nothing is scaled
            scaled = emit("Where", runtimeMode, scaled, gy);
        }
        accumulate(d, 0, scaled);
    }

    private void crossEntropy(Node n) {
        Node ce = withOutputs(n, 2);
        String scores = ce.input(0);
        String labels = ce.input(1);
        long[] ss = shape(scores);
        DataType t = type(scores);
        String logProb = ce.output(1);
        String p = emit("Exp", logProb);
        String gLoss = gradient(ce.output(0));
        String gLogProb = ce.outputs().size() > 1 ? gradient(ce.output(1)) : null;
        if (gLoss != null) {
            String safeLabels = labels;
            String weight = null;
            if (ce.has("ignore_index")) {
                String ignore = constant(Tensor.ofLongs("", new long[0], new long[] {ce.intAttr("ignore_index", -100)}), type(labels));
                String keep = emit("Not", emit("Equal", labels, ignore));
                safeLabels = emit("Where", keep, labels, constant(Tensor.ofLongs("", new long[0], new long[] {0}), type(labels)));
                weight = emit("Cast", List.of(keep), new Attribute.Int("to", t.onnxCode()));
            }
            if (!ce.input(2).isEmpty()) {
                String w = emit("Gather", ce.input(2), safeLabels);
                weight = weight == null ? w : emit("Mul", w, weight);
            }
            long[] classShape = new long[ss.length];
            java.util.Arrays.fill(classShape, 1);
            classShape[1] = ss[1];
            long[] classes = new long[(int) ss[1]];
            for (int i = 0; i < classes.length; i++) {
                classes[i] = i;
            }
            String classIds = constant(Tensor.ofLongs("", classShape, classes), type(labels));
            String hit = emit("Equal", emit("Unsqueeze", safeLabels, vectorConst(1)), classIds);
            String oneHot = emit("Cast", List.of(hit), new Attribute.Int("to", t.onnxCode()));
            String diffTerm = emit("Sub", p, oneHot);
            String reduction = ce.stringAttr("reduction", "mean");
            String factor;
            switch (reduction) {
                case "none" -> factor = weight == null ? gLoss : emit("Mul", gLoss, weight);
                case "sum" -> factor = weight == null ? gLoss : emit("Mul", weight, gLoss);
                case "mean" -> {
                    if (weight == null) {
                        long count = 1;
                        for (long d : shape(labels)) {
                            count *= d;
                        }
                        factor = emit("Mul", gLoss, scalar(1.0 / count, scores));
                    } else {
                        String total = reduceSum(weight, null, false);
                        factor = emit("Mul", weight, emit("Div", gLoss, total));
                    }
                }
                default -> throw unsupported(ce, "unknown reduction '" + reduction + "'");
            }
            long[] fs = shapeOfFactor(reduction, weight, shape(labels));
            if (fs.length > 0) {
                factor = emit("Unsqueeze", factor, vectorConst(1));
            }
            accumulate(ce, 0, emit("Mul", diffTerm, factor));
        }
        if (gLogProb != null) {
            String s = reduceSum(gLogProb, new long[] {1}, true);
            accumulate(ce, 0, emit("Sub", gLogProb, emit("Mul", p, s)));
        }
    }

    private static long[] shapeOfFactor(String reduction, String weight, long[] labels) {
        if (reduction.equals("none") || weight != null) {
            return labels;
        }
        return new long[0];
    }

    // ------------------------------------------------------------------ gradient bookkeeping

    private void accumulate(Node n, int input, String gradient) {
        if (gradient == null || !diff(n, input)) {
            return;
        }
        contributions.computeIfAbsent(n.input(input), k -> new ArrayList<>()).add(gradient);
    }

    /** The summed gradient of {@code value}, or null when nothing flows back into it. */
    private String gradient(String value) {
        String s = summed.get(value);
        if (s != null) {
            return s;
        }
        List<String> parts = contributions.get(value);
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        String r = parts.size() == 1 ? parts.get(0) : parts.size() == 2 ? emit("Add", parts.get(0), parts.get(1)) : emit("Sum", parts);
        summed.put(value, r);
        return r;
    }

    /** {@code g}, of the shape of {@code from}, summed down to the shape of {@code to}. */
    private String unbroadcastTo(String g, String from, String to) {
        if (g == null) {
            return null;
        }
        return unbroadcast(g, shape(from), shape(to));
    }

    private String unbroadcast(String g, long[] gs, long[] target) {
        if (Arrays.equals(gs, target)) {
            return g;
        }
        int lead = gs.length - target.length;
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (target[i - lead] == 1 && gs[i] != 1)) {
                axes.add((long) i);
            }
        }
        String r = g;
        if (!axes.isEmpty()) {
            r = reduceSum(g, axes.stream().mapToLong(Long::longValue).toArray(), true);
        }
        return lead == 0 ? r : reshape(r, target);
    }

    private Node withOutputs(Node n, int count) {
        Node current = replaced.getOrDefault(n, n);
        if (current.outputs().size() >= count && current.outputs().stream().limit(count).noneMatch(String::isEmpty)) {
            return current;
        }
        List<String> outs = new ArrayList<>(current.outputs());
        while (outs.size() < count) {
            outs.add("");
        }
        for (int i = 0; i < count; i++) {
            if (outs.get(i).isEmpty()) {
                String name = graph.uniqueName(n.name() + "_out" + i);
                outs.set(i, name);
            }
        }
        Node r = new Node(current.name(), current.opType(), current.domain(), current.inputs(), outs,
                List.copyOf(current.attributes().values()));
        replaced.put(n, r);
        Map<String, ValueInfo> inferred = inferNode(r);
        infos.putAll(inferred);
        return r;
    }

    private Map<String, ValueInfo> inferNode(Node r) {
        Graph probe = new Graph("probe", graph.opset());
        Set<String> seen = new HashSet<>();
        for (String in : r.inputs()) {
            if (in.isEmpty() || !seen.add(in)) {
                continue;
            }
            Tensor t = graph.initializer(in);
            if (t != null && t.elementCount() <= 64) {
                probe.putInitializer(t);
            } else {
                probe.addInput(infos.get(in));
            }
        }
        probe.addNode(new Node(r.name(), r.opType(), r.domain(), r.inputs(), r.outputs(), List.copyOf(r.attributes().values())));
        return ShapeInference.infer(probe);
    }

    private void applyReplacements() {
        if (replaced.isEmpty()) {
            return;
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) {
            nodes.add(replaced.getOrDefault(n, n));
        }
        OpsetUpgrader.setNodes(graph, nodes);
    }

    // ------------------------------------------------------------------ emission helpers

    private String emit(String op, String... inputs) {
        return emit(op, Arrays.asList(inputs));
    }

    private String emit(String op, List<String> inputs, Attribute... attributes) {
        String out = graph.uniqueName(prefix + "_" + op);
        emitNode(op, inputs, List.of(out), attributes);
        return out;
    }

    private void emitTo(String op, List<String> inputs, String output, Attribute... attributes) {
        emitNode(op, inputs, List.of(output), attributes);
    }

    private void emitNode(String op, List<String> inputs, List<String> outputs, Attribute... attributes) {
        Node node = new Node(graph.uniqueName(prefix + "/" + op), op, "", inputs, outputs, Arrays.asList(attributes));
        emitted.add(node);
    }

    private String reshape(String x, long[] shape) {
        return emit("Reshape", x, shapeConst(shape));
    }

    private String reduceSum(String x, long[] axes, boolean keep) {
        List<String> ins = axes == null ? List.of(x) : List.of(x, vectorConst(axes));
        return emit("ReduceSum", ins, new Attribute.Int("keepdims", keep ? 1 : 0));
    }

    private String reduceMean(String x, long[] axes) {
        if (graph.opset() >= 18) {
            return emit("ReduceMean", List.of(x, vectorConst(axes)), new Attribute.Int("keepdims", 1));
        }
        return emit("ReduceMean", List.of(x), Attribute.ints("axes", axes), new Attribute.Int("keepdims", 1));
    }

    /** A scalar constant of the element type of {@code like}. */
    private String scalar(double value, String like) {
        return constant(Tensor.ofDoubles("", new long[0], new double[] {value}), type(like));
    }

    private String shapeConst(long[] shape) {
        return vectorConst(shape);
    }

    private String vectorConst(long... values) {
        return constant(Tensor.vector("", values), DataType.INT64);
    }

    /**
     * An initializer holding {@code value} converted to {@code type}; equal constants are shared.
     */
    private String constant(Tensor value, DataType type) {
        Tensor t = convert(value, type);
        StringBuilder key = new StringBuilder(type + Arrays.toString(t.shape()));
        switch (type) {
            case FLOAT -> key.append(Arrays.toString(t.floats()));
            case DOUBLE -> key.append(Arrays.toString(t.doubles()));
            default -> key.append(Arrays.toString(t.longs()));
        }
        String k = key.toString();
        String existing = constants.get(k);
        if (existing != null) {
            return existing;
        }
        String name = graph.uniqueName("grad_const");
        graph.putInitializer(t.withName(name));
        infos.put(name, t.info().withName(name));
        constants.put(k, name);
        return name;
    }

    private static Tensor convert(Tensor v, DataType type) {
        if (v.type() == type) {
            return v;
        }
        double[] d = v.type() == DataType.DOUBLE ? v.doubles() : null;
        long[] l = d == null ? v.longs() : null;
        int count = (int) v.elementCount();
        switch (type) {
            case FLOAT: {
                float[] f = new float[count];
                for (int i = 0; i < count; i++) {
                    f[i] = d != null ? (float) d[i] : l[i];
                }
                return Tensor.ofFloats("", v.shape(), f);
            }
            case DOUBLE: {
                double[] r = new double[count];
                for (int i = 0; i < count; i++) {
                    r[i] = d != null ? d[i] : l[i];
                }
                return Tensor.ofDoubles("", v.shape(), r);
            }
            case INT64: {
                long[] r = new long[count];
                for (int i = 0; i < count; i++) {
                    r[i] = d != null ? (long) d[i] : l[i];
                }
                return Tensor.ofLongs("", v.shape(), r);
            }
            case INT32: {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(count * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < count; i++) {
                    b.putInt((int) (d != null ? d[i] : l[i]));
                }
                b.flip();
                return new Tensor("", DataType.INT32, v.shape(), b);
            }
            default:
                throw new IllegalArgumentException("gradient constants of type " + type + " are not supported");
        }
    }

    private static Tensor zeroTensor(DataType type) {
        return convert(Tensor.ofDoubles("", new long[] {1}, new double[] {0}), type);
    }

    // ------------------------------------------------------------------ lookups

    private long[] shape(String value) {
        ValueInfo v = infos.get(value);
        if (v == null) {
            throw new GradientException("no shape is known for '" + value + "'");
        }
        long[] s = v.shape();
        for (long d : s) {
            if (d < 0) {
                throw new GradientException("value '" + value + "' has a dynamic shape " + Arrays.toString(s)
                        + "; specialise the graph to fixed input shapes before differentiating");
            }
        }
        return s;
    }

    private DataType type(String value) {
        ValueInfo v = infos.get(value);
        if (v == null) {
            throw new GradientException("no type is known for '" + value + "'");
        }
        return v.type();
    }

    private long[] perm(Node n) {
        long[] p = n.intsAttr("perm");
        if (p != null) {
            return p;
        }
        int rank = shape(n.input(0)).length;
        p = new long[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = rank - 1 - i;
        }
        return p;
    }

    private long[] constLongs(Node n, int input) {
        Tensor t = graph.initializer(n.input(input));
        Node producer = producers.get(n.input(input));
        if (t == null && producer != null && producer.opType().equals("Constant")) {
            t = producer.tensorAttr("value");
        }
        if (t == null) {
            throw unsupported(n, "input " + input + " ('" + n.input(input) + "') must be a constant; specialise the graph first");
        }
        return t.longs();
    }

    private long normAxis(Node n, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw unsupported(n, "axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    private GradientException unsupported(Node n, String problem) {
        return new GradientException("cannot differentiate node '" + n.name() + "' (" + n.opType() + "): " + problem
                + "; path: " + path(n));
    }

    /** The differentiated path through {@code n}: from a requested value, through n, to the loss. */
    private String path(Node n) {
        List<String> back = new ArrayList<>();
        String v = null;
        for (String in : n.inputs()) {
            if (onPath != null && onPath.contains(in)) {
                v = in;
                break;
            }
        }
        int guard = 0;
        while (v != null && guard++ < 10_000) {
            back.add(0, v);
            Node p = producers.get(v);
            if (p != null) {
                back.add(0, p.name() + " (" + p.opType() + ")");
            }
            v = activeFrom.get(v);
        }
        StringBuilder sb = new StringBuilder(String.join(" -> ", back));
        sb.append(sb.length() > 0 ? " -> " : "").append(n.name()).append(" (").append(n.opType()).append(")");
        String out = n.outputs().isEmpty() ? null : n.output(0);
        guard = 0;
        while (out != null && guard++ < 10_000) {
            sb.append(" -> ").append(out);
            Node next = towardLoss.get(out);
            if (next == null) {
                break;
            }
            sb.append(" -> ").append(next.name()).append(" (").append(next.opType()).append(")");
            out = next.outputs().isEmpty() ? null : next.output(0);
        }
        return sb.toString();
    }
}
