package org.peft4j.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.ort.GraphRunner;
import org.peft4j.engine.shape.ShapeInference;

/**
 * Finite-difference gradient checks through ONNX Runtime: build a forward graph, reduce its output
 * to the scalar {@code sum(output * R)} with a fixed random {@code R}, differentiate it with
 * {@link GradientBuilder}, and compare every (or a sample of every) gradient element with central
 * differences of the loss.
 */
final class GradCheck {

    final Graph graph;
    final DataType type;
    final Map<String, Tensor> feeds = new LinkedHashMap<>();
    final Set<String> wrt = new LinkedHashSet<>();
    private final Random random;
    double eps;
    double rtol;
    double atol;
    int maxElements = 40;
    /** Whether every loss evaluation uses a fresh session (for seeded random operators). */
    boolean fresh;
    double worst;
    /** The outputs of the last analytic run, by name. */
    Map<String, Tensor> lastAnalytic;
    private Graph lossGraph;

    GradCheck(DataType type, long seed) {
        this.type = type;
        this.graph = new Graph("check", 17);
        this.random = new Random(seed);
        this.eps = type == DataType.DOUBLE ? 1e-6 : 1e-2;
        this.rtol = type == DataType.DOUBLE ? 1e-6 : 2e-2;
        this.atol = type == DataType.DOUBLE ? 1e-8 : 2e-3;
    }

    static GradCheck doubles() {
        return new GradCheck(DataType.DOUBLE, 42);
    }

    static GradCheck floats() {
        return new GradCheck(DataType.FLOAT, 42);
    }

    /** A differentiated input with values in [lo, hi). */
    String input(String name, double lo, double hi, long... shape) {
        int n = (int) count(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * random.nextDouble();
        }
        return input(name, v, shape);
    }

    /** A differentiated input with values in [-1, 1). */
    String input(String name, long... shape) {
        return input(name, -1, 1, shape);
    }

    String input(String name, double[] values, long... shape) {
        graph.addInput(new ValueInfo(name, type, shape));
        feeds.put(name, tensor(name, values, shape));
        wrt.add(name);
        return name;
    }

    /** An input that is fed but not differentiated. */
    String constantInput(String name, double lo, double hi, long... shape) {
        input(name, lo, hi, shape);
        wrt.remove(name);
        return name;
    }

    String longInput(String name, long[] values, long... shape) {
        graph.addInput(new ValueInfo(name, DataType.INT64, shape));
        feeds.put(name, Tensor.ofLongs(name, shape, values));
        return name;
    }

    String boolInput(String name, boolean[] values, long... shape) {
        graph.addInput(new ValueInfo(name, DataType.BOOL, shape));
        feeds.put(name, Tensor.ofBooleans(name, shape, values));
        return name;
    }

    /** A real constant initializer of the check's type. */
    String constant(String name, double[] values, long... shape) {
        graph.putInitializer(tensor(name, values, shape));
        return name;
    }

    /** A trainable initializer (a frozen-weight-style value that still gets a gradient). */
    String trainableInitializer(String name, long... shape) {
        int n = (int) count(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        graph.putInitializer(tensor(name, v, shape));
        wrt.add(name);
        return name;
    }

    String longs(String name, long... values) {
        graph.putInitializer(Tensor.vector(name, values));
        return name;
    }

    String op(String opType, List<String> inputs, Attribute... attributes) {
        return graph.op(opType, inputs, attributes);
    }

    String op(String opType, String... inputs) {
        return graph.op(opType, List.of(inputs));
    }

    List<String> ops(String opType, List<String> inputs, int outputs, Attribute... attributes) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add(graph.uniqueName(opType.toLowerCase() + "_out"));
        }
        graph.addNode(new Node(graph.uniqueName(opType), opType, "", inputs, outs, List.of(attributes)));
        return outs;
    }

    Tensor tensor(String name, double[] values, long... shape) {
        if (type == DataType.DOUBLE) {
            return Tensor.ofDoubles(name, shape, values);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Tensor.ofFloats(name, shape, f);
    }

    /**
     * Checks the gradients of {@code sum(output * R)} with respect to every differentiated input
     * and trainable initializer; fails the test with the worst element otherwise.
     */
    GradCheck check(String output) {
        return check(output, false);
    }

    /** As {@link #check(String)}; when {@code isLoss} the output itself is the scalar loss. */
    GradCheck check(String output, boolean isLoss) {
        Graph g = graph.copy();
        g.sortTopologically();
        Map<String, ValueInfo> infos = ShapeInference.infer(g);
        ValueInfo out = infos.get(output);
        String loss = output;
        if (!isLoss) {
            int n = (int) out.elementCount();
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = random.nextDouble() * 2 - 1;
            }
            Tensor rt = out.type() == DataType.DOUBLE ? Tensor.ofDoubles("weights_R", out.shape(), r) : tensor("weights_R", r, out.shape());
            g.putInitializer(rt);
            String prod = g.op("Mul", List.of(output, "weights_R"));
            loss = g.op("ReduceSum", List.of(prod), new Attribute.Int("keepdims", 0));
        }
        g.addOutput(new ValueInfo(loss, out.type(), new long[0]));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        feeds.forEach((k, v) -> shapes.put(k, v.shape()));
        ShapeInference.specialize(g, shapes);
        Graph lossOnly = g.copy();
        // trainable initializers become inputs of the finite-difference graph
        Map<String, Tensor> fdFeeds = new LinkedHashMap<>(feeds);
        for (String w : wrt) {
            Tensor t = lossOnly.initializer(w);
            if (t != null) {
                lossOnly.removeInitializer(w);
                lossOnly.addInput(t.info());
                fdFeeds.put(w, t);
            }
        }
        lossGraph = lossOnly;
        Graph withGrad = g.copy();
        Map<String, String> grads = new GradientBuilder(withGrad).addGradients(loss, wrt);
        Map<String, Tensor> analytic;
        try (GraphRunner r = new GraphRunner(withGrad, 1, ai.onnxruntime.OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
            analytic = r.run(feeds);
        }
        lastAnalytic = analytic;
        worst = 0;
        try (GraphRunner r = new GraphRunner(lossOnly, 1, ai.onnxruntime.OrtSession.SessionOptions.OptLevel.NO_OPT)) {
            for (String w : wrt) {
                double[] an = values(analytic.get(grads.get(w)));
                Tensor base = fdFeeds.get(w);
                double[] x = values(base);
                assertTrue(Arrays.equals(base.shape(), analytic.get(grads.get(w)).shape()),
                        "gradient of " + w + " has shape " + Arrays.toString(analytic.get(grads.get(w)).shape()));
                int[] sample = sample(x.length);
                for (int i : sample) {
                    double keep = x[i];
                    x[i] = keep + eps;
                    double plus = lossValue(r, fdFeeds, w, x, base.shape(), loss);
                    x[i] = keep - eps;
                    double minus = lossValue(r, fdFeeds, w, x, base.shape(), loss);
                    x[i] = keep;
                    double fd = (plus - minus) / (2 * eps);
                    double err = Math.abs(fd - an[i]);
                    double allowed = atol + rtol * Math.max(Math.abs(fd), Math.abs(an[i]));
                    worst = Math.max(worst, err / Math.max(1e-12, atol + rtol * Math.max(Math.abs(fd), Math.abs(an[i]))));
                    assertTrue(err <= allowed, "d loss / d " + w + "[" + i + "]: analytic " + an[i] + ", finite difference " + fd);
                }
                fdFeeds.put(w, base);
            }
        }
        return this;
    }

    private double lossValue(GraphRunner r, Map<String, Tensor> fdFeeds, String w, double[] x, long[] shape, String loss) {
        fdFeeds.put(w, tensor(w, x, shape));
        if (fresh) {
            try (GraphRunner once = new GraphRunner(lossGraph, 1, ai.onnxruntime.OrtSession.SessionOptions.OptLevel.NO_OPT)) {
                return values(once.run(fdFeeds).get(loss))[0];
            }
        }
        Tensor t = r.run(fdFeeds).get(loss);
        return values(t)[0];
    }

    private int[] sample(int n) {
        if (n <= maxElements) {
            int[] r = new int[n];
            for (int i = 0; i < n; i++) {
                r[i] = i;
            }
            return r;
        }
        Random s = new Random(n);
        return s.ints(0, n).distinct().limit(maxElements).toArray();
    }

    static double[] values(Tensor t) {
        if (t.type() == DataType.DOUBLE) {
            return t.doubles();
        }
        float[] f = t.floats();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
