package org.peft4j.engine.autodiff;

import java.util.ArrayList;
import java.util.List;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.onnx.OpsetUpgrader;

/**
 * Test helper: the float64 twin of a specialised float32 graph, as the reference for
 * finite differences. ONNX Runtime has no float64 {@code Erf}, so each {@code Erf} becomes the
 * rational Chebyshev approximation {@code erfc(z) = t exp(-z^2 + P(t))}, {@code t = 1/(1+z/2)}
 * (fractional error below 1.2e-7, smooth, so its derivative is as close to erf's).
 */
final class DoublePrecision {

    private static final double[] ERFC = {-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398,
        1.48851587, -0.82215223, 0.17087277};

    private DoublePrecision() {
    }

    static Graph convert(Graph g) {
        Graph d = new Graph(g.name() + "_f64", g.opset());
        for (ValueInfo in : g.inputs()) {
            d.addInput(in.type() == DataType.FLOAT ? new ValueInfo(in.name(), DataType.DOUBLE, in.shape()) : in);
        }
        for (Tensor t : g.initializers().values()) {
            d.putInitializer(t.type() == DataType.FLOAT ? toDouble(t) : t);
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.opType().equals("Erf")) {
                nodes.addAll(erf(d, n));
                continue;
            }
            List<Attribute> attrs = new ArrayList<>();
            for (Attribute a : n.attributes().values()) {
                if (n.opType().equals("Cast") && a.name().equals("to") && ((Attribute.Int) a).value() == DataType.FLOAT.onnxCode()) {
                    attrs.add(new Attribute.Int("to", DataType.DOUBLE.onnxCode()));
                } else if (a instanceof Attribute.TensorValue tv && tv.value().type() == DataType.FLOAT) {
                    attrs.add(new Attribute.TensorValue(a.name(), toDouble(tv.value())));
                } else {
                    attrs.add(a);
                }
            }
            nodes.add(new Node(n.name(), n.opType(), n.domain(), n.inputs(), n.outputs(), attrs));
        }
        OpsetUpgrader.setNodes(d, nodes);
        for (ValueInfo o : g.outputs()) {
            d.addOutput(o.type() == DataType.FLOAT ? new ValueInfo(o.name(), DataType.DOUBLE, o.shape()) : o);
        }
        return d;
    }

    private static List<Node> erf(Graph d, Node n) {
        List<Node> r = new ArrayList<>();
        String x = n.input(0);
        String p = n.name() + "_f64";
        String z = add(r, d, p, "Abs", x);
        String half = c(d, p + "_half", 0.5);
        String one = c(d, p + "_one", 1.0);
        String t = add(r, d, p, "Div", one, add(r, d, p, "Add", one, add(r, d, p, "Mul", z, half)));
        String poly = c(d, p + "_c9", ERFC[9]);
        for (int i = 8; i >= 0; i--) {
            poly = add(r, d, p, "Add", c(d, p + "_c" + i, ERFC[i]), add(r, d, p, "Mul", t, poly));
        }
        String exponent = add(r, d, p, "Sub", poly, add(r, d, p, "Mul", z, z));
        String erfc = add(r, d, p, "Mul", t, add(r, d, p, "Exp", exponent));
        String pos = add(r, d, p, "Sub", one, erfc);
        String neg = add(r, d, p, "Neg", pos);
        String isNeg = add(r, d, p, "Less", x, c(d, p + "_zero", 0.0));
        r.add(new Node(d.uniqueName(p + "_Where"), "Where", "", List.of(isNeg, neg, pos), List.of(n.output(0)), List.of()));
        return r;
    }

    private static String add(List<Node> r, Graph d, String p, String op, String... inputs) {
        String out = d.uniqueName(p + "_" + op + "_out");
        r.add(new Node(d.uniqueName(p + "_" + op), op, "", List.of(inputs), List.of(out), List.of()));
        return out;
    }

    private static String c(Graph d, String name, double v) {
        d.putInitializer(Tensor.ofDoubles(name, new long[0], new double[] {v}));
        return name;
    }

    static Tensor toDouble(Tensor t) {
        float[] f = t.floats();
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = f[i];
        }
        return Tensor.ofDoubles(t.name(), t.shape(), v);
    }
}
