package org.peft4j.api.testing;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;

/**
 * A slow, obviously-correct interpreter for the handful of ONNX operators that adapters and
 * {@link LinearModels} use, so plugin tests can check a rewritten graph without ONNX Runtime.
 *
 * <p>Supported: {@code MatMul} (first operand of any rank {@code [..., k]}, second of rank 2
 * {@code [k, n]}), {@code Add}, {@code Sub}, {@code Mul}, {@code Div} (numpy broadcasting),
 * {@code Slice} (int64 starts, ends, optional axes and steps of 1), {@code Identity}, and
 * {@code Dropout} (the identity, as at evaluation). Any other operator throws
 * {@link UnsupportedOperationException} naming the node. Only the nodes that the target depends on
 * are evaluated. Computation is in double precision.
 */
public final class ReferenceEvaluator {

    /** A dense tensor value: row-major data and its shape. */
    public record Value(long[] shape, double[] data) {

        /** A value from floats. */
        public static Value of(long[] shape, float[] data) {
            double[] d = new double[data.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = data[i];
            }
            return new Value(shape.clone(), d);
        }

        /** The data as floats. */
        public float[] floats() {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            return f;
        }
    }

    private ReferenceEvaluator() {
    }

    /**
     * Evaluates {@code target}.
     *
     * @param graph the graph (not modified)
     * @param inputs graph input values by name
     * @param overrides initializer values to use instead of the stored ones, by name; may be empty
     * @param target the value to compute
     */
    public static Value evaluate(Graph graph, Map<String, Value> inputs, Map<String, float[]> overrides, String target) {
        Graph g = graph.copy();
        g.sortTopologically();
        Map<String, Value> env = new HashMap<>(inputs);
        for (Tensor t : g.initializers().values()) {
            if (overrides.containsKey(t.name())) {
                env.put(t.name(), Value.of(t.shape(), overrides.get(t.name())));
            } else if (t.type() == DataType.FLOAT) {
                env.put(t.name(), Value.of(t.shape(), t.floats()));
            } else {
                long[] l = t.longs();
                env.put(t.name(), new Value(t.shape(), Arrays.stream(l).asDoubleStream().toArray()));
            }
        }
        Map<String, Node> producers = new HashMap<>();
        for (Node n : g.nodes()) {
            n.outputs().forEach(o -> producers.put(o, n));
        }
        if (!env.containsKey(target) && !producers.containsKey(target)) {
            throw new IllegalArgumentException("'" + target + "' is not computed by the graph");
        }
        Set<Node> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(target));
        while (!todo.isEmpty()) {
            Node p = producers.get(todo.pop());
            if (p != null && needed.add(p)) {
                p.inputs().stream().filter(v -> !v.isEmpty()).forEach(todo::push);
            }
        }
        for (Node n : g.nodes()) {
            if (!needed.contains(n)) {
                continue;
            }
            List<Value> in = n.inputs().stream().map(name -> {
                if (name.isEmpty()) {
                    return null;
                }
                Value v = env.get(name);
                if (v == null) {
                    throw new IllegalStateException("node " + n.name() + " reads '" + name + "', which has no value");
                }
                return v;
            }).toList();
            env.put(n.outputs().get(0), apply(n, in));
        }
        return env.get(target);
    }

    private static Value apply(Node n, List<Value> in) {
        return switch (n.opType()) {
            case "MatMul" -> matMul(n, in.get(0), in.get(1));
            case "Add" -> broadcast(in.get(0), in.get(1), Double::sum);
            case "Sub" -> broadcast(in.get(0), in.get(1), (a, b) -> a - b);
            case "Mul" -> broadcast(in.get(0), in.get(1), (a, b) -> a * b);
            case "Div" -> broadcast(in.get(0), in.get(1), (a, b) -> a / b);
            case "Identity", "Dropout" -> in.get(0);
            case "Slice" -> slice(n, in);
            default -> throw new UnsupportedOperationException("node " + n.name() + ": operator " + n.opType() + " is not supported");
        };
    }

    private static Value matMul(Node n, Value a, Value b) {
        long[] as = a.shape();
        long[] bs = b.shape();
        if (bs.length != 2 || as.length < 1 || as[as.length - 1] != bs[0]) {
            throw new IllegalArgumentException("node " + n.name() + ": cannot MatMul " + Arrays.toString(as) + " by " + Arrays.toString(bs));
        }
        int k = (int) bs[0];
        int cols = (int) bs[1];
        int rows = a.data().length / k;
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < k; j++) {
                double x = a.data()[i * k + j];
                for (int c = 0; c < cols; c++) {
                    out[i * cols + c] += x * b.data()[j * cols + c];
                }
            }
        }
        long[] shape = as.clone();
        shape[shape.length - 1] = cols;
        return new Value(shape, out);
    }

    private interface Op {
        double apply(double a, double b);
    }

    private static Value broadcast(Value a, Value b, Op op) {
        int rank = Math.max(a.shape().length, b.shape().length);
        long[] as = pad(a.shape(), rank);
        long[] bs = pad(b.shape(), rank);
        long[] os = new long[rank];
        for (int i = 0; i < rank; i++) {
            if (as[i] != bs[i] && as[i] != 1 && bs[i] != 1) {
                throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(a.shape()) + " with " + Arrays.toString(b.shape()));
            }
            os[i] = Math.max(as[i], bs[i]);
        }
        int total = (int) Arrays.stream(os).reduce(1, (x, y) -> x * y);
        double[] out = new double[total];
        int[] idx = new int[rank];
        for (int flat = 0; flat < total; flat++) {
            int rem = flat;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d] = (int) (rem % os[d]);
                rem /= (int) os[d];
            }
            out[flat] = op.apply(a.data()[offset(idx, as)], b.data()[offset(idx, bs)]);
        }
        return new Value(os, out);
    }

    private static long[] pad(long[] shape, int rank) {
        long[] p = new long[rank];
        Arrays.fill(p, 1);
        System.arraycopy(shape, 0, p, rank - shape.length, shape.length);
        return p;
    }

    private static int offset(int[] idx, long[] shape) {
        int off = 0;
        for (int d = 0; d < shape.length; d++) {
            off = off * (int) shape[d] + (shape[d] == 1 ? 0 : idx[d]);
        }
        return off;
    }

    private static Value slice(Node n, List<Value> in) {
        Value data = in.get(0);
        long[] shape = data.shape();
        int rank = shape.length;
        double[] starts = in.get(1).data();
        double[] ends = in.get(2).data();
        double[] axes = in.size() > 3 && in.get(3) != null ? in.get(3).data() : null;
        if (in.size() > 4 && in.get(4) != null && Arrays.stream(in.get(4).data()).anyMatch(s -> s != 1)) {
            throw new UnsupportedOperationException("node " + n.name() + ": Slice steps other than 1");
        }
        long[] lo = new long[rank];
        long[] hi = shape.clone();
        for (int i = 0; i < starts.length; i++) {
            int axis = axes == null ? i : (int) axes[i];
            if (axis < 0) {
                axis += rank;
            }
            long s = clamp((long) starts[i], shape[axis]);
            long e = clamp((long) ends[i], shape[axis]);
            lo[axis] = s;
            hi[axis] = Math.max(s, e);
        }
        long[] os = new long[rank];
        for (int d = 0; d < rank; d++) {
            os[d] = hi[d] - lo[d];
        }
        int total = (int) Arrays.stream(os).reduce(1, (x, y) -> x * y);
        double[] out = new double[total];
        int[] idx = new int[rank];
        for (int flat = 0; flat < total; flat++) {
            int rem = flat;
            int src = 0;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d] = (int) (rem % os[d]);
                rem /= (int) os[d];
            }
            for (int d = 0; d < rank; d++) {
                src = src * (int) shape[d] + (int) (idx[d] + lo[d]);
            }
            out[flat] = data.data()[src];
        }
        return new Value(os, out);
    }

    private static long clamp(long v, long dim) {
        if (v < 0) {
            v += dim;
        }
        return Math.max(0, Math.min(dim, v));
    }
}
