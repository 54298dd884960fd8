package org.peft4j.engine.shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.shape.ShapeInference.OpContext;

/** Per-operator shape inference and constant evaluation; package-private helper of {@link ShapeInference}. */
final class Ops {

    private static final Set<String> UNARY = Set.of("Identity", "Sqrt", "Erf", "Tanh", "Relu", "Sigmoid", "Neg", "Exp", "Log",
            "Abs", "Reciprocal", "Floor", "Ceil", "Softmax", "LogSoftmax", "Hardmax", "Sign", "Round", "Gelu", "LeakyRelu", "Elu",
            "Selu", "Softplus", "Softsign", "HardSigmoid", "Sin", "Cos", "CumSum", "Trilu", "Clip", "Mish", "HardSwish", "Celu",
            "Erfc");
    private static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Mod", "PRelu", "BitShift");
    private static final Set<String> COMPARE = Set.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or",
            "Xor");
    private static final Set<String> VARIADIC = Set.of("Sum", "Max", "Min", "Mean");

    private Ops() {
    }

    static ValueInfo[] infer(OpContext c) {
        Node n = c.node;
        String op = c.op();
        if (!n.domain().isEmpty()) {
            if (n.domain().equals("com.microsoft") && op.equals("FusedMatMul")) {
                return one(c.in(0).type(), fusedMatMul(c));
            }
            throw new ShapeInferenceException(n, "operator of domain '" + n.domain() + "' is not supported by shape inference");
        }
        if (UNARY.contains(op)) {
            return one(c.in(0).type(), c.in(0).shape());
        }
        if (BINARY.contains(op)) {
            return one(c.in(0).type(), ShapeInference.broadcast(n, c.in(0).shape(), c.in(1).shape()));
        }
        if (COMPARE.contains(op)) {
            return one(DataType.BOOL, ShapeInference.broadcast(n, c.in(0).shape(), c.in(1).shape()));
        }
        if (VARIADIC.contains(op)) {
            long[][] shapes = new long[c.in.length][];
            for (int i = 0; i < shapes.length; i++) {
                shapes[i] = c.in(i).shape();
            }
            return one(c.in(0).type(), ShapeInference.broadcast(n, shapes));
        }
        switch (op) {
            case "Not":
            case "IsNaN":
            case "IsInf":
                return one(DataType.BOOL, c.in(0).shape());
            case "Where":
                return one(c.in(1).type(), ShapeInference.broadcast(n, c.in(0).shape(), c.in(1).shape(), c.in(2).shape()));
            case "MatMul":
                return one(c.in(0).type(), matMul(n, c.in(0).shape(), c.in(1).shape()));
            case "Gemm":
                return one(c.in(0).type(), gemm(c));
            case "Gather":
                return one(c.in(0).type(), gather(c));
            case "GatherElements":
                return one(c.in(0).type(), c.in(1).shape());
            case "ScatterND":
            case "ScatterElements":
                return one(c.in(0).type(), c.in(0).shape());
            case "OneHot":
                return one(c.in(2).type(), oneHot(c));
            case "Reshape":
                return one(c.in(0).type(), reshape(c));
            case "Transpose":
                return one(c.in(0).type(), transpose(c));
            case "Unsqueeze":
                return one(c.in(0).type(), unsqueeze(c));
            case "Squeeze":
                return one(c.in(0).type(), squeeze(c));
            case "Flatten":
                return one(c.in(0).type(), flatten(c));
            case "Concat":
                return one(c.in(0).type(), concat(c));
            case "Split":
                return split(c);
            case "Slice":
                return one(c.in(0).type(), slice(c, null));
            case "Expand":
                return one(c.in(0).type(), expand(c));
            case "Pad":
                return one(c.in(0).type(), pad(c));
            case "Tile":
                return one(c.in(0).type(), tile(c));
            case "ArgMax":
            case "ArgMin": {
                long[] s = reduceShape(c, new long[] {n.intAttr("axis", 0)}, n.intAttr("keepdims", 1) != 0);
                return one(DataType.INT64, s);
            }
            case "Shape":
                return one(DataType.INT64, new long[] {shapeRange(c)[1] - shapeRange(c)[0]});
            case "Size":
                return one(DataType.INT64, new long[0]);
            case "Constant": {
                Tensor t = n.tensorAttr("value");
                if (t != null) {
                    return one(t.type(), t.shape());
                }
                if (n.has("value_float")) {
                    return one(DataType.FLOAT, new long[0]);
                }
                if (n.has("value_int")) {
                    return one(DataType.INT64, new long[0]);
                }
                if (n.has("value_ints")) {
                    return one(DataType.INT64, new long[] {n.intsAttr("value_ints").length});
                }
                throw new ShapeInferenceException(n, "Constant without a supported value attribute");
            }
            case "ConstantOfShape": {
                Tensor v = n.tensorAttr("value");
                DataType t = v == null ? DataType.FLOAT : v.type();
                Arr s = c.c(0);
                if (s == null) {
                    long len = c.in(0).dim(0);
                    long[] shape = new long[(int) Math.max(len, 0)];
                    Arrays.fill(shape, -1);
                    return one(t, shape);
                }
                return one(t, s.longs().clone());
            }
            case "Range": {
                if (c.c(0) != null && c.c(1) != null && c.c(2) != null) {
                    double start = c.c(0).real(0);
                    double limit = c.c(1).real(0);
                    double delta = c.c(2).real(0);
                    return one(c.in(0).type(), new long[] {Math.max(0, (long) Math.ceil((limit - start) / delta))});
                }
                return one(c.in(0).type(), new long[] {-1});
            }
            case "Cast":
                return one(DataType.fromOnnxCode((int) n.intAttr("to", 1)), c.in(0).shape());
            case "CastLike":
                return one(c.in(1).type(), c.in(0).shape());
            case "LayerNormalization": {
                long[] x = c.in(0).shape();
                int axis = normAxis(n, n.intAttr("axis", -1), x.length);
                long[] stat = x.clone();
                for (int i = axis; i < stat.length; i++) {
                    stat[i] = 1;
                }
                DataType stash = n.intAttr("stash_type", 1) == 1 ? DataType.FLOAT : c.in(0).type();
                return new ValueInfo[] {info(c.in(0).type(), x), info(stash, stat), info(stash, stat)};
            }
            case "Dropout":
                return new ValueInfo[] {info(c.in(0).type(), c.in(0).shape()), info(DataType.BOOL, c.in(0).shape())};
            case "SoftmaxCrossEntropyLoss": {
                String reduction = n.stringAttr("reduction", "mean");
                long[] loss = reduction.equals("none") ? c.in(1).shape() : new long[0];
                return new ValueInfo[] {info(c.in(0).type(), loss), info(c.in(0).type(), c.in(0).shape())};
            }
            case "RandomUniformLike":
            case "RandomNormalLike":
            case "Bernoulli": {
                DataType t = n.has("dtype") ? DataType.fromOnnxCode((int) n.intAttr("dtype", 1)) : c.in(0).type();
                return one(t, c.in(0).shape());
            }
            default:
                if (op.startsWith("Reduce")) {
                    return one(c.in(0).type(), reduce(c));
                }
                throw new ShapeInferenceException(n, "operator is not supported by shape inference");
        }
    }

    private static ValueInfo info(DataType t, long[] shape) {
        return new ValueInfo("", t, shape);
    }

    private static ValueInfo[] one(DataType t, long[] shape) {
        return new ValueInfo[] {info(t, shape)};
    }

    static int normAxis(Node n, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1) && !(rank == 0 && a == 0)) {
            throw new ShapeInferenceException(n, "axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    // ------------------------------------------------------------------ shape rules

    static long[] matMul(Node n, long[] a, long[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new ShapeInferenceException(n, "MatMul of a scalar");
        }
        long[] a2 = a.length == 1 ? new long[] {1, a[0]} : a;
        long[] b2 = b.length == 1 ? new long[] {b[0], 1} : b;
        long k1 = a2[a2.length - 1];
        long k2 = b2[b2.length - 2];
        if (k1 >= 0 && k2 >= 0 && k1 != k2) {
            throw new ShapeInferenceException(n, "inner extents differ: " + Arrays.toString(a) + " @ " + Arrays.toString(b));
        }
        long[] batch = ShapeInference.broadcast(n, Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
        List<Long> r = new ArrayList<>();
        for (long d : batch) {
            r.add(d);
        }
        if (a.length > 1) {
            r.add(a2[a2.length - 2]);
        }
        if (b.length > 1) {
            r.add(b2[b2.length - 1]);
        }
        return r.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] fusedMatMul(OpContext c) {
        long[] a = c.in(0).shape();
        long[] b = c.in(1).shape();
        if (c.node.intAttr("transA", 0) != 0) {
            a = swapLast(a);
        }
        if (c.node.intAttr("transB", 0) != 0) {
            b = swapLast(b);
        }
        return matMul(c.node, a, b);
    }

    private static long[] swapLast(long[] s) {
        long[] r = s.clone();
        if (r.length >= 2) {
            r[r.length - 1] = s[s.length - 2];
            r[r.length - 2] = s[s.length - 1];
        }
        return r;
    }

    private static long[] gemm(OpContext c) {
        long[] a = c.in(0).shape();
        long[] b = c.in(1).shape();
        if (a.length != 2 || b.length != 2) {
            throw new ShapeInferenceException(c.node, "Gemm needs 2-D operands, got " + Arrays.toString(a) + " and " + Arrays.toString(b));
        }
        boolean ta = c.node.intAttr("transA", 0) != 0;
        boolean tb = c.node.intAttr("transB", 0) != 0;
        long m = ta ? a[1] : a[0];
        long ka = ta ? a[0] : a[1];
        long kb = tb ? b[1] : b[0];
        long nn = tb ? b[0] : b[1];
        if (ka >= 0 && kb >= 0 && ka != kb) {
            throw new ShapeInferenceException(c.node, "inner extents differ: " + ka + " and " + kb);
        }
        long[] r = {m, nn};
        if (c.has(2)) {
            ShapeInference.broadcast(c.node, r, c.in(2).shape());
        }
        return r;
    }

    private static long[] gather(OpContext c) {
        long[] data = c.in(0).shape();
        long[] idx = c.in(1).shape();
        int axis = normAxis(c.node, c.node.intAttr("axis", 0), data.length);
        long[] r = new long[data.length - 1 + idx.length];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            r[k++] = data[i];
        }
        for (long d : idx) {
            r[k++] = d;
        }
        for (int i = axis + 1; i < data.length; i++) {
            r[k++] = data[i];
        }
        return r;
    }

    private static long[] oneHot(OpContext c) {
        long[] idx = c.in(0).shape();
        long depth = c.c(1) == null ? -1 : c.c(1).integer(0);
        int rank = idx.length + 1;
        int axis = normAxis(c.node, c.node.intAttr("axis", -1), rank);
        long[] r = new long[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            r[i] = i == axis ? depth : idx[k++];
        }
        return r;
    }

    private static long[] reshape(OpContext c) {
        long[] x = c.in(0).shape();
        Arr s = c.c(1);
        if (s == null) {
            long len = c.in(1).dim(0);
            long[] r = new long[(int) Math.max(0, len)];
            Arrays.fill(r, -1);
            return r;
        }
        long[] target = s.longs().clone();
        boolean allowZero = c.node.intAttr("allowzero", 0) != 0;
        int infer = -1;
        long known = 1;
        boolean unknown = false;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) {
                if (i >= x.length) {
                    throw new ShapeInferenceException(c.node, "shape " + Arrays.toString(s.longs()) + " copies axis " + i
                            + " of an input of rank " + x.length);
                }
                target[i] = x[i];
            }
            if (target[i] == -1) {
                if (infer >= 0) {
                    throw new ShapeInferenceException(c.node, "shape " + Arrays.toString(s.longs()) + " has two -1 extents");
                }
                infer = i;
            } else if (target[i] < 0) {
                unknown = true;
            } else {
                known *= target[i];
            }
        }
        long total = 1;
        for (long d : x) {
            if (d < 0) {
                unknown = true;
            }
            total *= d;
        }
        if (infer >= 0) {
            target[infer] = unknown ? -1 : (known == 0 ? 0 : total / known);
            if (!unknown && known != 0 && total % known != 0) {
                throw new ShapeInferenceException(c.node, "cannot reshape " + Arrays.toString(x) + " to " + Arrays.toString(s.longs()));
            }
        } else if (!unknown && known != total) {
            throw new ShapeInferenceException(c.node, "cannot reshape " + Arrays.toString(x) + " to " + Arrays.toString(s.longs()));
        }
        return target;
    }

    static long[] perm(Node n, int rank) {
        long[] p = n.intsAttr("perm");
        if (p == null) {
            p = new long[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
        }
        if (p.length != rank) {
            throw new ShapeInferenceException(n, "perm " + Arrays.toString(p) + " does not fit rank " + rank);
        }
        return p;
    }

    private static long[] transpose(OpContext c) {
        long[] x = c.in(0).shape();
        long[] p = perm(c.node, x.length);
        long[] r = new long[x.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = x[(int) p[i]];
        }
        return r;
    }

    /** Axes from the {@code axes} attribute or input 1; null when absent. */
    static long[] axes(OpContext c, int inputIndex) {
        long[] a = c.node.intsAttr("axes");
        if (a != null) {
            return a;
        }
        if (c.has(inputIndex)) {
            Arr ax = c.c(inputIndex);
            if (ax == null) {
                throw new ShapeInferenceException(c.node, "axes input '" + c.node.input(inputIndex) + "' is not constant");
            }
            return ax.longs();
        }
        return null;
    }

    private static long[] unsqueeze(OpContext c) {
        long[] x = c.in(0).shape();
        long[] axes = axes(c, 1);
        if (axes == null) {
            throw new ShapeInferenceException(c.node, "Unsqueeze without axes");
        }
        int rank = x.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            inserted[normAxis(c.node, a, rank)] = true;
        }
        long[] r = new long[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            r[i] = inserted[i] ? 1 : x[k++];
        }
        return r;
    }

    private static long[] squeeze(OpContext c) {
        long[] x = c.in(0).shape();
        long[] axes = axes(c, 1);
        boolean[] drop = new boolean[x.length];
        if (axes == null) {
            for (int i = 0; i < x.length; i++) {
                if (x[i] < 0) {
                    throw new ShapeInferenceException(c.node, "Squeeze without axes of an input with unknown extents");
                }
                drop[i] = x[i] == 1;
            }
        } else {
            for (long a : axes) {
                int ax = normAxis(c.node, a, x.length);
                if (x[ax] > 1) {
                    throw new ShapeInferenceException(c.node, "cannot squeeze axis " + a + " of extent " + x[ax]);
                }
                drop[ax] = true;
            }
        }
        return keep(x, drop);
    }

    private static long[] keep(long[] x, boolean[] drop) {
        int n = 0;
        for (boolean b : drop) {
            n += b ? 0 : 1;
        }
        long[] r = new long[n];
        int k = 0;
        for (int i = 0; i < x.length; i++) {
            if (!drop[i]) {
                r[k++] = x[i];
            }
        }
        return r;
    }

    private static long[] flatten(OpContext c) {
        long[] x = c.in(0).shape();
        long axis = c.node.intAttr("axis", 1);
        int a = (int) (axis < 0 ? axis + x.length : axis);
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < x.length; i++) {
            if (i < a) {
                outer = x[i] < 0 || outer < 0 ? -1 : outer * x[i];
            } else {
                inner = x[i] < 0 || inner < 0 ? -1 : inner * x[i];
            }
        }
        return new long[] {outer, inner};
    }

    private static long[] concat(OpContext c) {
        long[] first = c.in(0).shape();
        int axis = normAxis(c.node, c.node.intAttr("axis", 0), first.length);
        long[] r = first.clone();
        for (int i = 1; i < c.in.length; i++) {
            long[] s = c.in(i).shape();
            if (s.length != r.length) {
                throw new ShapeInferenceException(c.node, "inputs of ranks " + r.length + " and " + s.length);
            }
            r[axis] = r[axis] < 0 || s[axis] < 0 ? -1 : r[axis] + s[axis];
            for (int k = 0; k < r.length; k++) {
                if (k != axis && r[k] >= 0 && s[k] >= 0 && r[k] != s[k]) {
                    throw new ShapeInferenceException(c.node, "input " + i + " has extent " + s[k] + " on axis " + k + ", expected " + r[k]);
                }
            }
        }
        return r;
    }

    private static ValueInfo[] split(OpContext c) {
        long[] x = c.in(0).shape();
        int axis = normAxis(c.node, c.node.intAttr("axis", 0), x.length);
        int outs = c.node.outputs().size();
        long[] sizes = c.node.intsAttr("split");
        if (sizes == null && c.has(1)) {
            if (c.c(1) == null) {
                throw new ShapeInferenceException(c.node, "split sizes are not constant");
            }
            sizes = c.c(1).longs();
        }
        ValueInfo[] r = new ValueInfo[outs];
        for (int i = 0; i < outs; i++) {
            long[] s = x.clone();
            if (sizes != null) {
                s[axis] = sizes[i];
            } else if (x[axis] < 0) {
                s[axis] = -1;
            } else {
                long chunk = (x[axis] + outs - 1) / outs;
                s[axis] = Math.min(chunk, Math.max(0, x[axis] - chunk * i));
            }
            r[i] = info(c.in(0).type(), s);
        }
        return r;
    }

    /**
     * The output shape of a Slice; when {@code plan} is non-null it receives, per axis, the
     * normalised {start, step, count}.
     */
    static long[] slice(OpContext c, long[][] plan) {
        long[] x = c.in(0).shape();
        Arr starts = c.c(1);
        Arr ends = c.c(2);
        boolean axesKnown = !c.has(3) || c.c(3) != null;
        if (starts == null || ends == null || !axesKnown || (c.has(4) && c.c(4) == null)) {
            long[] r = x.clone();
            if (axesKnown && c.has(3)) {
                for (long a : c.c(3).longs()) {
                    r[normAxis(c.node, a, x.length)] = -1;
                }
            } else {
                Arrays.fill(r, -1);
            }
            return r;
        }
        int k = starts.size();
        long[] axes = c.has(3) ? c.c(3).longs() : null;
        long[] steps = c.has(4) ? c.c(4).longs() : null;
        long[] r = x.clone();
        if (plan != null) {
            for (int i = 0; i < x.length; i++) {
                plan[i] = new long[] {0, 1, x[i]};
            }
        }
        for (int i = 0; i < k; i++) {
            int axis = normAxis(c.node, axes == null ? i : axes[i], x.length);
            long dim = x[axis];
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw new ShapeInferenceException(c.node, "slice step 0");
            }
            if (dim < 0) {
                r[axis] = -1;
                continue;
            }
            long s = starts.integer(i);
            long e = ends.integer(i);
            s = s < 0 ? s + dim : s;
            e = e < 0 ? e + dim : e;
            long count;
            if (step > 0) {
                s = clamp(s, 0, dim);
                e = clamp(e, 0, dim);
                count = Math.max(0, (e - s + step - 1) / step);
            } else {
                s = clamp(s, -1, dim - 1);
                e = clamp(e, -1, dim - 1);
                count = Math.max(0, (s - e + (-step) - 1) / (-step));
            }
            r[axis] = count;
            if (plan != null) {
                plan[axis] = new long[] {s, step, count};
            }
        }
        return r;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static long[] expand(OpContext c) {
        Arr s = c.c(1);
        if (s == null) {
            long[] r = new long[(int) Math.max(0, c.in(1).dim(0))];
            Arrays.fill(r, -1);
            return r;
        }
        return ShapeInference.broadcast(c.node, c.in(0).shape(), s.longs());
    }

    private static long[] pad(OpContext c) {
        long[] x = c.in(0).shape();
        long[] pads = c.node.intsAttr("pads");
        if (pads == null) {
            if (c.c(1) == null) {
                long[] r = x.clone();
                Arrays.fill(r, -1);
                return r;
            }
            pads = c.c(1).longs();
        }
        long[] axes = c.has(3) && c.c(3) != null ? c.c(3).longs() : null;
        long[] r = x.clone();
        int k = axes == null ? x.length : axes.length;
        for (int i = 0; i < k; i++) {
            int a = axes == null ? i : normAxis(c.node, axes[i], x.length);
            r[a] = x[a] < 0 ? -1 : x[a] + pads[i] + pads[i + k];
        }
        return r;
    }

    private static long[] tile(OpContext c) {
        long[] x = c.in(0).shape();
        long[] r = x.clone();
        Arr rep = c.c(1);
        for (int i = 0; i < r.length; i++) {
            r[i] = rep == null || x[i] < 0 ? -1 : x[i] * rep.integer(i);
        }
        return r;
    }

    private static long[] reduce(OpContext c) {
        long[] axes = axes(c, 1);
        boolean keep = c.node.intAttr("keepdims", 1) != 0;
        if (axes == null || axes.length == 0) {
            if (c.node.intAttr("noop_with_empty_axes", 0) != 0) {
                return c.in(0).shape();
            }
            axes = null;
        }
        return reduceShape(c, axes, keep);
    }

    private static long[] reduceShape(OpContext c, long[] axes, boolean keep) {
        long[] x = c.in(0).shape();
        boolean[] red = new boolean[x.length];
        if (axes == null) {
            Arrays.fill(red, true);
        } else {
            for (long a : axes) {
                red[normAxis(c.node, a, x.length)] = true;
            }
        }
        if (keep) {
            long[] r = x.clone();
            for (int i = 0; i < r.length; i++) {
                if (red[i]) {
                    r[i] = 1;
                }
            }
            return r;
        }
        return keep(x, red);
    }

    private static long[] shapeRange(OpContext c) {
        int rank = c.in(0).rank();
        long start = c.node.intAttr("start", 0);
        long end = c.node.intAttr("end", rank);
        start = clamp(start < 0 ? start + rank : start, 0, rank);
        end = clamp(end < 0 ? end + rank : end, 0, rank);
        return new long[] {start, Math.max(start, end)};
    }

    // ------------------------------------------------------------------ constant evaluation

    /** The constant outputs of a foldable node whose constant inputs are known, or null. */
    static List<Arr> evaluate(OpContext c, ValueInfo[] out) {
        Node n = c.node;
        long[] os = out[0].shape();
        DataType ot = out[0].type();
        switch (c.op()) {
            case "Shape": {
                long[] r = shapeRange(c);
                long[] s = c.in(0).shape();
                long[] v = Arrays.copyOfRange(s, (int) r[0], (int) r[1]);
                for (long d : v) {
                    if (d < 0) {
                        return null;
                    }
                }
                return List.of(Arr.ofLongs(DataType.INT64, os, v));
            }
            case "Size": {
                long count = c.in(0).elementCount();
                for (long d : c.in(0).shape()) {
                    if (d < 0) {
                        return null;
                    }
                }
                return List.of(Arr.ofLongs(DataType.INT64, os, new long[] {count}));
            }
            case "Constant": {
                Tensor t = n.tensorAttr("value");
                if (t != null) {
                    return List.of(Arr.of(t));
                }
                if (n.has("value_float")) {
                    return List.of(Arr.ofDoubles(DataType.FLOAT, os, new double[] {n.floatAttr("value_float", 0)}));
                }
                if (n.has("value_int")) {
                    return List.of(Arr.ofLongs(DataType.INT64, os, new long[] {n.intAttr("value_int", 0)}));
                }
                return List.of(Arr.ofLongs(DataType.INT64, os, n.intsAttr("value_ints")));
            }
            case "Identity":
            case "Unsqueeze":
            case "Squeeze":
            case "Reshape":
            case "Flatten":
                return List.of(c.c(0).reshape(os));
            case "Cast":
                return List.of(c.c(0).cast(ot).reshape(os));
            case "CastLike":
                return List.of(c.c(0).cast(ot));
            case "ConstantOfShape": {
                Tensor v = n.tensorAttr("value");
                Arr value = v == null ? Arr.ofDoubles(DataType.FLOAT, new long[] {1}, new double[] {0}) : Arr.of(v);
                int count = (int) Arr.count(os);
                int[] idx = new int[count];
                return List.of(value.gather(os, idx));
            }
            case "Range": {
                int count = (int) os[0];
                if (c.c(0).isReal()) {
                    double[] r = new double[count];
                    for (int i = 0; i < count; i++) {
                        r[i] = c.c(0).real(0) + i * c.c(2).real(0);
                    }
                    return List.of(Arr.ofDoubles(ot, os, r));
                }
                long[] r = new long[count];
                for (int i = 0; i < count; i++) {
                    r[i] = c.c(0).integer(0) + i * c.c(2).integer(0);
                }
                return List.of(Arr.ofLongs(ot, os, r));
            }
            case "Gather":
                return List.of(evalGather(c, os));
            case "Concat":
                return List.of(evalConcat(c, os));
            case "Slice":
                return List.of(evalSlice(c, os));
            case "Transpose":
                return List.of(evalTranspose(c, os));
            case "Expand":
                return List.of(c.c(0).gather(os, broadcastIndex(c.c(0).shape, os)));
            case "Tile":
                return List.of(evalTile(c, os));
            case "Where": {
                Arr cond = c.c(0);
                Arr x = c.c(1);
                Arr y = c.c(2);
                int[] ic = broadcastIndex(cond.shape, os);
                int[] ix = broadcastIndex(x.shape, os);
                int[] iy = broadcastIndex(y.shape, os);
                if (x.isReal()) {
                    double[] r = new double[ic.length];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = cond.integer(ic[i]) != 0 ? x.real(ix[i]) : y.real(iy[i]);
                    }
                    return List.of(Arr.ofDoubles(ot, os, r));
                }
                long[] r = new long[ic.length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = cond.integer(ic[i]) != 0 ? x.integer(ix[i]) : y.integer(iy[i]);
                }
                return List.of(Arr.ofLongs(ot, os, r));
            }
            case "Not": {
                long[] r = new long[c.c(0).size()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = c.c(0).integer(i) != 0 ? 0 : 1;
                }
                return List.of(Arr.ofLongs(DataType.BOOL, os, r));
            }
            case "Neg":
            case "Abs":
            case "Sqrt":
            case "Floor":
            case "Ceil":
                return List.of(unary(c.op(), c.c(0)));
            case "ReduceProd":
            case "ReduceSum":
                return evalReduce(c, os);
            default:
                return List.of(binary(c, os, ot));
        }
    }

    private static Arr unary(String op, Arr x) {
        if (x.isReal()) {
            double[] r = new double[x.size()];
            for (int i = 0; i < r.length; i++) {
                double v = x.d[i];
                r[i] = switch (op) {
                    case "Neg" -> -v;
                    case "Abs" -> Math.abs(v);
                    case "Sqrt" -> Math.sqrt(v);
                    case "Floor" -> Math.floor(v);
                    default -> Math.ceil(v);
                };
                if (x.type == DataType.FLOAT) {
                    r[i] = (float) r[i];
                }
            }
            return Arr.ofDoubles(x.type, x.shape, r);
        }
        long[] r = new long[x.size()];
        for (int i = 0; i < r.length; i++) {
            long v = x.l[i];
            r[i] = switch (op) {
                case "Neg" -> -v;
                case "Abs" -> Math.abs(v);
                case "Sqrt" -> (long) Math.sqrt(v);
                default -> v;
            };
        }
        return Arr.ofLongs(x.type, x.shape, r);
    }

    private static Arr binary(OpContext c, long[] os, DataType ot) {
        if (c.in.length != 2) {
            throw new IllegalStateException("cannot fold " + c.op() + " with " + c.in.length + " inputs");
        }
        Arr a = c.c(0);
        Arr b = c.c(1);
        int[] ia = broadcastIndex(a.shape, os);
        int[] ib = broadcastIndex(b.shape, os);
        String op = c.op();
        boolean real = a.isReal() || b.isReal();
        if (ot == DataType.BOOL) {
            long[] r = new long[ia.length];
            for (int i = 0; i < r.length; i++) {
                boolean v;
                if (real) {
                    double x = a.real(ia[i]);
                    double y = b.real(ib[i]);
                    v = switch (op) {
                        case "Equal" -> x == y;
                        case "Less" -> x < y;
                        case "Greater" -> x > y;
                        case "LessOrEqual" -> x <= y;
                        case "GreaterOrEqual" -> x >= y;
                        default -> throw new IllegalStateException("cannot fold " + op + " of real values");
                    };
                } else {
                    long x = a.integer(ia[i]);
                    long y = b.integer(ib[i]);
                    v = switch (op) {
                        case "Equal" -> x == y;
                        case "Less" -> x < y;
                        case "Greater" -> x > y;
                        case "LessOrEqual" -> x <= y;
                        case "GreaterOrEqual" -> x >= y;
                        case "And" -> x != 0 && y != 0;
                        case "Or" -> x != 0 || y != 0;
                        default -> throw new IllegalStateException("cannot fold " + op);
                    };
                }
                r[i] = v ? 1 : 0;
            }
            return Arr.ofLongs(DataType.BOOL, os, r);
        }
        if (real) {
            double[] r = new double[ia.length];
            for (int i = 0; i < r.length; i++) {
                double x = a.real(ia[i]);
                double y = b.real(ib[i]);
                double v = switch (op) {
                    case "Add" -> x + y;
                    case "Sub" -> x - y;
                    case "Mul" -> x * y;
                    case "Div" -> x / y;
                    case "Max" -> Math.max(x, y);
                    case "Min" -> Math.min(x, y);
                    case "Pow" -> Math.pow(x, y);
                    case "Mod" -> x % y;
                    default -> throw new IllegalStateException("cannot fold " + op);
                };
                r[i] = ot == DataType.FLOAT ? (float) v : v;
            }
            return Arr.ofDoubles(ot, os, r);
        }
        long[] r = new long[ia.length];
        for (int i = 0; i < r.length; i++) {
            long x = a.integer(ia[i]);
            long y = b.integer(ib[i]);
            r[i] = switch (op) {
                case "Add" -> x + y;
                case "Sub" -> x - y;
                case "Mul" -> x * y;
                case "Div" -> x / y;
                case "Max" -> Math.max(x, y);
                case "Min" -> Math.min(x, y);
                case "Pow" -> (long) Math.pow(x, y);
                case "Mod" -> Math.floorMod(x, y);
                default -> throw new IllegalStateException("cannot fold " + op);
            };
        }
        return Arr.ofLongs(ot, os, r);
    }

    /** For each element of {@code out}, the flat index of the element of {@code in} broadcast to it. */
    static int[] broadcastIndex(long[] in, long[] out) {
        int count = (int) Arr.count(out);
        int[] r = new int[count];
        long[] inStrides = Arr.strides(in);
        int off = out.length - in.length;
        long[] idx = new long[out.length];
        for (int i = 0; i < count; i++) {
            long flat = 0;
            for (int k = 0; k < in.length; k++) {
                if (in[k] != 1) {
                    flat += idx[k + off] * inStrides[k];
                }
            }
            r[i] = (int) flat;
            increment(idx, out);
        }
        return r;
    }

    private static void increment(long[] idx, long[] shape) {
        for (int k = shape.length - 1; k >= 0; k--) {
            if (++idx[k] < shape[k]) {
                return;
            }
            idx[k] = 0;
        }
    }

    private static Arr evalGather(OpContext c, long[] os) {
        Arr data = c.c(0);
        Arr indices = c.c(1);
        int axis = normAxis(c.node, c.node.intAttr("axis", 0), data.shape.length);
        long[] ds = data.shape;
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= ds[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < ds.length; i++) {
            inner *= ds[i];
        }
        long dim = ds[axis];
        int ni = indices.size();
        int[] idx = new int[(int) (outer * ni * inner)];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (int j = 0; j < ni; j++) {
                long g = indices.integer(j);
                if (g < 0) {
                    g += dim;
                }
                if (g < 0 || g >= dim) {
                    throw new IllegalStateException("index " + indices.integer(j) + " is out of range for extent " + dim);
                }
                for (long in = 0; in < inner; in++) {
                    idx[k++] = (int) ((o * dim + g) * inner + in);
                }
            }
        }
        return data.gather(os, idx);
    }

    private static Arr evalConcat(OpContext c, long[] os) {
        int axis = normAxis(c.node, c.node.intAttr("axis", 0), os.length);
        List<Arr> parts = new ArrayList<>();
        for (int i = 0; i < c.in.length; i++) {
            parts.add(c.c(i));
        }
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= os[i];
        }
        int total = (int) Arr.count(os);
        boolean real = parts.get(0).isReal();
        double[] rd = real ? new double[total] : null;
        long[] rl = real ? null : new long[total];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (Arr p : parts) {
                long block = 1;
                for (int i = axis; i < p.shape.length; i++) {
                    block *= p.shape[i];
                }
                for (long j = 0; j < block; j++) {
                    int src = (int) (o * block + j);
                    if (real) {
                        rd[k++] = p.real(src);
                    } else {
                        rl[k++] = p.integer(src);
                    }
                }
            }
        }
        return new Arr(parts.get(0).type, os, rl, rd);
    }

    private static Arr evalSlice(OpContext c, long[] os) {
        long[] x = c.c(0).shape;
        long[][] plan = new long[x.length][];
        slice(c, plan);
        long[] strides = Arr.strides(x);
        int count = (int) Arr.count(os);
        int[] idx = new int[count];
        long[] pos = new long[os.length];
        for (int i = 0; i < count; i++) {
            long flat = 0;
            for (int k = 0; k < x.length; k++) {
                flat += (plan[k][0] + pos[k] * plan[k][1]) * strides[k];
            }
            idx[i] = (int) flat;
            increment(pos, os);
        }
        return c.c(0).gather(os, idx);
    }

    private static Arr evalTranspose(OpContext c, long[] os) {
        long[] x = c.c(0).shape;
        long[] p = perm(c.node, x.length);
        long[] strides = Arr.strides(x);
        int count = (int) Arr.count(os);
        int[] idx = new int[count];
        long[] pos = new long[os.length];
        for (int i = 0; i < count; i++) {
            long flat = 0;
            for (int k = 0; k < os.length; k++) {
                flat += pos[k] * strides[(int) p[k]];
            }
            idx[i] = (int) flat;
            increment(pos, os);
        }
        return c.c(0).gather(os, idx);
    }

    private static Arr evalTile(OpContext c, long[] os) {
        long[] x = c.c(0).shape;
        long[] strides = Arr.strides(x);
        int count = (int) Arr.count(os);
        int[] idx = new int[count];
        long[] pos = new long[os.length];
        for (int i = 0; i < count; i++) {
            long flat = 0;
            for (int k = 0; k < os.length; k++) {
                flat += (pos[k] % x[k]) * strides[k];
            }
            idx[i] = (int) flat;
            increment(pos, os);
        }
        return c.c(0).gather(os, idx);
    }

    private static List<Arr> evalReduce(OpContext c, long[] os) {
        Arr x = c.c(0);
        long[] axes = axes(c, 1);
        long[] xs = x.shape;
        boolean[] red = new boolean[xs.length];
        if (axes == null || axes.length == 0) {
            if (c.node.intAttr("noop_with_empty_axes", 0) != 0) {
                return List.of(x);
            }
            Arrays.fill(red, true);
        } else {
            for (long a : axes) {
                red[normAxis(c.node, a, xs.length)] = true;
            }
        }
        long[] kept = xs.clone();
        for (int i = 0; i < kept.length; i++) {
            if (red[i]) {
                kept[i] = 1;
            }
        }
        int[] target = new int[x.size()];
        long[] ks = Arr.strides(kept);
        long[] pos = new long[xs.length];
        for (int i = 0; i < target.length; i++) {
            long flat = 0;
            for (int k = 0; k < xs.length; k++) {
                if (!red[k]) {
                    flat += pos[k] * ks[k];
                }
            }
            target[i] = (int) flat;
            increment(pos, xs);
        }
        int n = (int) Arr.count(kept);
        boolean prod = c.op().equals("ReduceProd");
        if (x.isReal()) {
            double[] r = new double[n];
            Arrays.fill(r, prod ? 1 : 0);
            for (int i = 0; i < target.length; i++) {
                r[target[i]] = prod ? r[target[i]] * x.d[i] : r[target[i]] + x.d[i];
            }
            return List.of(Arr.ofDoubles(x.type, os, r));
        }
        long[] r = new long[n];
        Arrays.fill(r, prod ? 1 : 0);
        for (int i = 0; i < target.length; i++) {
            r[target[i]] = prod ? r[target[i]] * x.l[i] : r[target[i]] + x.l[i];
        }
        return List.of(Arr.ofLongs(x.type, os, r));
    }
}
