package org.peft4j.engine.shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;

/**
 * Static shape and element-type inference for the ONNX operators peft4j graphs use, constant
 * folding of integer and shape sub-graphs, and graph specialisation to fixed input extents.
 *
 * <p>Extents that cannot be known (symbolic inputs) are {@code -1}; they propagate. Operators:
 * element-wise unary and binary operators with numpy broadcasting, comparisons and logic,
 * {@code Where}, {@code Sum}/{@code Max}/{@code Min}/{@code Mean}, {@code MatMul}, {@code Gemm},
 * {@code Gather}, {@code GatherElements}, {@code ScatterND}, {@code ScatterElements},
 * {@code OneHot}, {@code Reshape}, {@code Transpose}, {@code Unsqueeze}, {@code Squeeze},
 * {@code Flatten}, {@code Concat}, {@code Split}, {@code Slice}, {@code Expand}, {@code Pad},
 * {@code Tile}, every {@code Reduce*}, {@code ArgMax}/{@code ArgMin}, {@code Shape},
 * {@code Size}, {@code Constant}, {@code ConstantOfShape}, {@code Range}, {@code Cast},
 * {@code CastLike}, {@code Softmax}, {@code LogSoftmax}, {@code LayerNormalization},
 * {@code Dropout}, {@code SoftmaxCrossEntropyLoss}, {@code RandomUniformLike},
 * {@code RandomNormalLike}, {@code Bernoulli}, {@code CumSum}, {@code Trilu}, and the Microsoft
 * domain's {@code FusedMatMul}. Reduce and Squeeze/Unsqueeze axes are taken from an attribute or
 * an input, whichever the node has.
 *
 * <p>Contract: methods throw {@link ShapeInferenceException} naming the node, its operator and
 * the problem when a node is malformed (incompatible shapes, a missing input) or its operator is
 * unknown. Inference never changes the graph; {@link #specialize} and {@link #record} do.
 */
public final class ShapeInference {

    /** Largest constant (in elements) that folding materialises. */
    static final long FOLD_LIMIT = 1 << 16;

    /** Largest real-valued constant input (in elements) that folding reads. */
    static final int SMALL_REAL = 64;

    private static final Set<String> FOLDABLE = Set.of("Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Concat",
            "ConstantOfShape", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Where", "Cast",
            "Range", "Slice", "Reshape", "Identity", "Add", "Sub", "Mul", "Div", "Neg", "Abs", "Sqrt", "Max", "Min", "Mod",
            "Expand", "Flatten", "Transpose", "Constant", "ReduceProd", "ReduceSum", "Tile", "CastLike", "Pow", "Floor", "Ceil");

    private final Graph graph;
    private final Map<String, ValueInfo> infos = new LinkedHashMap<>();
    private final Map<String, Arr> consts = new HashMap<>();
    private final boolean fold;
    private final Map<Node, List<Arr>> folded = new LinkedHashMap<>();

    private ShapeInference(Graph graph, boolean fold) {
        this.graph = graph;
        this.fold = fold;
    }

    // ------------------------------------------------------------------ public entry points

    /**
     * The type and shape of every value of {@code graph}: inputs, initializers and every node
     * output, in graph order. Constant shape arithmetic is evaluated on the side (without
     * changing the graph) so that, for example, a Reshape to a computed shape gets its extents.
     * The graph must be topologically sorted.
     *
     * @throws ShapeInferenceException naming the first node whose shape cannot be inferred
     */
    public static Map<String, ValueInfo> infer(Graph graph) {
        ShapeInference si = new ShapeInference(graph, true);
        si.run();
        return si.infos;
    }

    /**
     * Infers every shape and records the intermediate ones as the graph's value infos (replacing
     * the old ones) and the graph outputs' shapes. Returns the inferred map.
     */
    public static Map<String, ValueInfo> record(Graph graph) {
        Map<String, ValueInfo> all = infer(graph);
        writeBack(graph, all);
        return all;
    }

    /**
     * Fixes the extents of the graph inputs named in {@code inputShapes}, folds every node whose
     * outputs become constant (shape arithmetic such as {@code Shape -> Gather -> Unsqueeze ->
     * Concat -> Reshape}, integer casts, comparisons and {@code Where} on constants, {@code Range},
     * {@code ConstantOfShape}, ...) into initializers, removes dead nodes and unused initializers,
     * and records every shape. Folding keeps constants up to {@value #FOLD_LIMIT} elements and
     * reads real-valued constants of at most {@value #SMALL_REAL} elements, so weights and
     * embedding tables are never folded into their consumers.
     *
     * @param graph the graph, changed in place
     * @param inputShapes extents per graph input name; each must have the input's rank and agree
     *     with its fixed extents
     * @return {@code graph}
     * @throws IllegalArgumentException when a name is not a graph input or a shape does not fit
     * @throws ShapeInferenceException when a node's shape cannot be inferred
     */
    public static Graph specialize(Graph graph, Map<String, long[]> inputShapes) {
        for (Map.Entry<String, long[]> e : inputShapes.entrySet()) {
            ValueInfo in = graph.inputs().stream().filter(v -> v.name().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("graph '" + graph.name() + "' has no input '" + e.getKey() + "'"));
            long[] fixed = e.getValue();
            long[] old = in.shape();
            if (fixed.length != old.length) {
                throw new IllegalArgumentException("input '" + in.name() + "' has rank " + old.length + ", got shape "
                        + Arrays.toString(fixed));
            }
            for (int i = 0; i < old.length; i++) {
                if (fixed[i] < 0 || (old[i] >= 0 && old[i] != fixed[i])) {
                    throw new IllegalArgumentException("input '" + in.name() + "' has shape " + Arrays.toString(old)
                            + ", cannot fix it to " + Arrays.toString(fixed));
                }
            }
        }
        List<ValueInfo> newInputs = new ArrayList<>();
        for (ValueInfo in : graph.inputs()) {
            long[] fixed = inputShapes.get(in.name());
            newInputs.add(fixed == null ? in : new ValueInfo(in.name(), in.type(), fixed));
        }
        for (ValueInfo in : List.copyOf(graph.inputs())) {
            graph.removeInput(in.name());
        }
        newInputs.forEach(graph::addInput);
        graph.sortTopologically();
        ShapeInference si = new ShapeInference(graph, true);
        si.run();
        si.applyFolding();
        graph.prune();
        record(graph);
        return graph;
    }

    /** Whether every extent of every value in {@code infos} is known. */
    public static boolean isStatic(Map<String, ValueInfo> infos) {
        for (ValueInfo v : infos.values()) {
            for (long d : v.shape()) {
                if (d < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void writeBack(Graph graph, Map<String, ValueInfo> all) {
        graph.clearValueInfos();
        Set<String> skip = new HashSet<>(graph.initializers().keySet());
        graph.inputs().forEach(v -> skip.add(v.name()));
        List<ValueInfo> outs = new ArrayList<>();
        for (ValueInfo o : graph.outputs()) {
            ValueInfo v = all.get(o.name());
            outs.add(v == null ? o : v);
        }
        for (ValueInfo o : List.copyOf(graph.outputs())) {
            graph.removeOutput(o.name());
        }
        outs.forEach(graph::addOutput);
        for (ValueInfo v : all.values()) {
            if (!skip.contains(v.name()) && !graph.isOutput(v.name())) {
                graph.setValueInfo(v);
            }
        }
    }

    // ------------------------------------------------------------------ the pass

    private void run() {
        for (ValueInfo v : graph.inputs()) {
            infos.put(v.name(), v);
        }
        for (Tensor t : graph.initializers().values()) {
            infos.put(t.name(), t.info());
        }
        for (Node n : graph.nodes()) {
            visit(n);
        }
    }

    private void visit(Node n) {
        ValueInfo[] in = new ValueInfo[n.inputs().size()];
        Arr[] cin = new Arr[in.length];
        for (int i = 0; i < in.length; i++) {
            String name = n.input(i);
            if (name.isEmpty()) {
                continue;
            }
            in[i] = infos.get(name);
            if (in[i] == null) {
                throw new ShapeInferenceException(n, "input '" + name + "' is not produced before the node");
            }
            cin[i] = constant(name);
        }
        OpContext c = new OpContext(n, in, cin);
        ValueInfo[] out;
        try {
            out = Ops.infer(c);
        } catch (ShapeInferenceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ShapeInferenceException(n, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        for (int i = 0; i < n.outputs().size() && i < out.length; i++) {
            String o = n.output(i);
            if (!o.isEmpty() && out[i] != null) {
                infos.put(o, out[i].withName(o));
            }
        }
        if (fold && isFoldable(n, c, out)) {
            List<Arr> values;
            try {
                values = Ops.evaluate(c, out);
            } catch (RuntimeException e) {
                throw new ShapeInferenceException(n, "cannot fold constant: " + e.getMessage(), e);
            }
            if (values != null) {
                folded.put(n, values);
                for (int i = 0; i < values.size(); i++) {
                    consts.put(n.output(i), values.get(i));
                }
            }
        }
    }

    private boolean isFoldable(Node n, OpContext c, ValueInfo[] out) {
        if (!n.domain().isEmpty() || !FOLDABLE.contains(n.opType()) || n.outputs().size() != 1) {
            return false;
        }
        ValueInfo o = out[0];
        if (o == null || o.type() == DataType.FLOAT16) {
            return false;
        }
        for (long d : o.shape()) {
            if (d < 0) {
                return false;
            }
        }
        if (o.elementCount() > FOLD_LIMIT) {
            return false;
        }
        if (n.opType().equals("Shape") || n.opType().equals("Size")) {
            return true;
        }
        for (int i = 0; i < c.in.length; i++) {
            if (c.in[i] == null) {
                continue;
            }
            if (c.cin[i] == null) {
                return false;
            }
            // real-valued tensors (weights, embedding tables) stay in the graph; only small real constants fold
            if (c.in[i].type().isFloatingPoint() && c.cin[i].size() > SMALL_REAL) {
                return false;
            }
        }
        return true;
    }

    private Arr constant(String name) {
        Arr a = consts.get(name);
        if (a != null) {
            return a;
        }
        Tensor t = graph.initializer(name);
        if (t == null || t.elementCount() > FOLD_LIMIT) {
            return null;
        }
        a = Arr.of(t);
        if (a != null) {
            consts.put(name, a);
        }
        return a;
    }

    private void applyFolding() {
        if (folded.isEmpty()) {
            return;
        }
        for (Map.Entry<Node, List<Arr>> e : folded.entrySet()) {
            Node n = e.getKey();
            graph.removeNode(n);
            for (int i = 0; i < e.getValue().size(); i++) {
                graph.putInitializer(e.getValue().get(i).toTensor(n.output(i)));
            }
        }
    }

    /** What an operator's inference sees: the node, its input infos and constant inputs. */
    static final class OpContext {
        final Node node;
        final ValueInfo[] in;
        final Arr[] cin;

        OpContext(Node node, ValueInfo[] in, Arr[] cin) {
            this.node = node;
            this.in = in;
            this.cin = cin;
        }

        ValueInfo in(int i) {
            if (i >= in.length || in[i] == null) {
                throw new ShapeInferenceException(node, "input " + i + " is missing");
            }
            return in[i];
        }

        boolean has(int i) {
            return i < in.length && in[i] != null;
        }

        Arr c(int i) {
            return i < cin.length ? cin[i] : null;
        }

        String op() {
            return node.opType();
        }
    }

    /** Broadcasts shapes with numpy rules; {@code -1} means unknown. */
    static long[] broadcast(Node n, long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        long[] r = new long[rank];
        Arrays.fill(r, 1);
        for (long[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int k = rank - s.length + i;
                long a = r[k];
                long b = s[i];
                if (b == 1) {
                    continue;
                }
                if (a == 1) {
                    r[k] = b;
                } else if (a == -1) {
                    r[k] = b;
                } else if (b != -1 && a != b) {
                    String all = String.join(" and ", Arrays.stream(shapes).map(Arrays::toString).toList());
                    throw new ShapeInferenceException(n, "shapes " + all + " do not broadcast");
                }
            }
        }
        return r;
    }

    static String describe(Node n) {
        return "node '" + n.name() + "' (" + n.opType() + ")";
    }

    static Attribute attr(Node n, String name) {
        return n.attributes().get(name);
    }
}
