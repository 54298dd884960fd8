package org.peft4j.runner.contract;

import java.util.ArrayList;
import java.util.List;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;

/**
 * The float64 twin of a float32 graph, the reference for finite differences: float32 finite
 * differences of a whole encoder are dominated by rounding, float64 ones are not.
 *
 * <p>Every float input, initializer, output, tensor attribute and cast target becomes double.
 * ONNX Runtime has no float64 {@code Erf}, so each {@code Erf} becomes the approximation of
 * Abramowitz and Stegun (formula 7.1.26), {@code erf(x) = sign(x) (1 − t (a1 + t (a2 + t (a3 + t (a4
 * + t a5)))) exp(−x²))} with {@code t = 1 / (1 + p |x|)}, whose absolute error is below 1.5e-7 and
 * which is smooth, so its derivative is as close to erf's as the check needs.
 *
 * <p>Contract: the twin computes the same function as {@code graph} to about 1e-7 relative; node
 * names added for {@code Erf} start with {@code f64_erf_}; {@code graph} is not modified.
 */
public final class Float64Twin {

    private static final double P = 0.3275911;
    private static final double[] A = {0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429};

    private Float64Twin() {
    }

    /** The float64 twin of {@code graph}. */
    public static Graph convert(Graph graph) {
        Graph d = new Graph(graph.name() + "_f64", graph.opset());
        for (ValueInfo in : graph.inputs()) {
            d.addInput(in.type() == DataType.FLOAT ? new ValueInfo(in.name(), DataType.DOUBLE, in.shape()) : in);
        }
        for (Tensor t : graph.initializers().values()) {
            d.putInitializer(t.type() == DataType.FLOAT ? toDouble(t) : t);
        }
        int erfs = 0;
        for (Node n : graph.nodes()) {
            if (n.opType().equals("Erf") && n.domain().isEmpty()) {
                erf(d, n.input(0), n.output(0), "f64_erf_" + (erfs++) + "_");
                continue;
            }
            List<Attribute> attributes = new ArrayList<>();
            for (Attribute a : n.attributes().values()) {
                if (n.opType().equals("Cast") && a.name().equals("to") && ((Attribute.Int) a).value() == DataType.FLOAT.onnxCode()) {
                    attributes.add(new Attribute.Int("to", DataType.DOUBLE.onnxCode()));
                } else if (a instanceof Attribute.TensorValue tv && tv.value().type() == DataType.FLOAT) {
                    attributes.add(new Attribute.TensorValue(a.name(), toDouble(tv.value())));
                } else {
                    attributes.add(a);
                }
            }
            d.addNode(new Node(n.name(), n.opType(), n.domain(), n.inputs(), n.outputs(), attributes));
        }
        for (ValueInfo out : graph.outputs()) {
            d.addOutput(out.type() == DataType.FLOAT ? new ValueInfo(out.name(), DataType.DOUBLE, out.shape()) : out);
        }
        return d;
    }

    /** A double tensor with the values of {@code t}. */
    /** A float tensor as double; other tensors unchanged. */
    public static Tensor toDouble(Tensor t) {
        float[] f = t.floats();
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = f[i];
        }
        return Tensor.ofDoubles(t.name(), t.shape(), v);
    }

    private static void erf(Graph d, String x, String out, String prefix) {
        String abs = node(d, prefix + "abs", "Abs", x);
        String t = node(d, prefix + "t", "Reciprocal", node(d, prefix + "den", "Add", constant(d, prefix + "one", 1),
                node(d, prefix + "px", "Mul", abs, constant(d, prefix + "p", P))));
        String poly = constant(d, prefix + "a5", A[4]);
        for (int k = 3; k >= 0; k--) {
            poly = node(d, prefix + "h" + k, "Add", constant(d, prefix + "a" + (k + 1), A[k]), node(d, prefix + "m" + k, "Mul", t, poly));
        }
        String tail = node(d, prefix + "tail", "Mul", node(d, prefix + "tp", "Mul", t, poly),
                node(d, prefix + "exp", "Exp", node(d, prefix + "neg", "Neg", node(d, prefix + "sq", "Mul", x, x))));
        String y = node(d, prefix + "y", "Sub", constant(d, prefix + "one2", 1), tail);
        d.addNode(new Node(prefix + "erf", "Mul", "", List.of(node(d, prefix + "sign", "Sign", x), y), List.of(out), List.of()));
    }

    private static String node(Graph d, String name, String op, String... inputs) {
        d.addNode(new Node(name, op, "", List.of(inputs), List.of(name + "_out"), List.of()));
        return name + "_out";
    }

    private static String constant(Graph d, String name, double value) {
        d.putInitializer(Tensor.ofDoubles(name, new long[0], new double[] {value}));
        return name;
    }
}
