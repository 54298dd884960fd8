package org.peft4j.engine.autodiff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.engine.onnx.OpsetUpgrader;

/**
 * Replaces LayerNorms spelled out as the Hugging Face exports spell them,
 * {@code ReduceMean, Sub, Pow(2), ReduceMean, Add(eps), Sqrt, Div, Mul(gamma), Add(beta)} over the
 * last axis, by one {@code LayerNormalization} node (opset 17).
 *
 * <p>Why: once a backward pass reads the intermediate values of a spelled-out LayerNorm, ONNX
 * Runtime can no longer fuse it, so a training graph would run nine element-wise kernels forward
 * and about twenty backward per LayerNorm. As one node it runs one fused kernel forward, and
 * {@link GradientBuilder} differentiates it with the node's own saved mean and inverse standard
 * deviation. The function computed is identical (biased variance, epsilon inside the root).
 *
 * <p>Contract: only complete patterns whose intermediate values are used by nothing else (and are
 * no graph outputs), with a scalar constant epsilon and exponent 2 and constant one-dimensional
 * gamma and beta, are replaced; the fused node keeps the name of the first ReduceMean and the
 * output name of the final Add; initializers that only the replaced nodes read (epsilon, the
 * exponent, axes) are removed. Graphs below opset 17 are left unchanged.
 */
public final class LayerNormFusion {

    private LayerNormFusion() {
    }

    /**
     * Fuses every matching LayerNorm of {@code graph} in place.
     *
     * @return the number of LayerNorms fused
     */
    public static int apply(Graph graph) {
        if (graph.opset() < 17) {
            return 0;
        }
        Map<String, List<Node>> consumers = new HashMap<>();
        Set<String> outputs = new HashSet<>();
        graph.outputs().forEach(v -> outputs.add(v.name()));
        for (Node n : graph.nodes()) {
            for (String in : new HashSet<>(n.inputs())) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        Map<Node, Node> replacement = new HashMap<>();
        Set<Node> removed = new HashSet<>();
        for (Node mean : graph.nodes()) {
            if (!mean.opType().equals("ReduceMean") || removed.contains(mean) || !lastAxis(graph, mean)) {
                continue;
            }
            Match m = new Match(graph, consumers, outputs);
            Node fused = m.match(mean);
            if (fused != null) {
                removed.addAll(m.nodes);
                replacement.put(m.nodes.get(m.nodes.size() - 1), fused);
            }
        }
        if (removed.isEmpty()) {
            return 0;
        }
        List<Node> result = new ArrayList<>();
        for (Node n : graph.nodes()) {
            Node r = replacement.get(n);
            if (r != null) {
                result.add(r);
            } else if (!removed.contains(n)) {
                result.add(n);
            }
        }
        OpsetUpgrader.setNodes(graph, result);
        Set<String> stillUsed = new HashSet<>();
        result.forEach(n -> stillUsed.addAll(n.inputs()));
        for (Node n : removed) {
            for (String in : n.inputs()) {
                if (graph.initializer(in) != null && !stillUsed.contains(in) && !outputs.contains(in)) {
                    graph.removeInitializer(in);
                }
            }
        }
        return replacement.size();
    }

    private static boolean lastAxis(Graph graph, Node reduce) {
        long[] axes = reduce.intsAttr("axes");
        if (axes == null && !reduce.input(1).isEmpty() && graph.initializer(reduce.input(1)) != null) {
            axes = graph.initializer(reduce.input(1)).longs();
        }
        return axes != null && axes.length == 1 && axes[0] == -1 && reduce.intAttr("keepdims", 1) == 1;
    }

    /** One attempt to match the pattern from its first ReduceMean. */
    private static final class Match {
        private final Graph graph;
        private final Map<String, List<Node>> consumers;
        private final Set<String> outputs;
        final List<Node> nodes = new ArrayList<>();

        Match(Graph graph, Map<String, List<Node>> consumers, Set<String> outputs) {
            this.graph = graph;
            this.consumers = consumers;
            this.outputs = outputs;
        }

        Node match(Node mean) {
            String x = mean.input(0);
            Node sub = only(mean.output(0), "Sub");
            if (sub == null || !sub.input(0).equals(x) || !sub.input(1).equals(mean.output(0))) {
                return null;
            }
            String d = sub.output(0);
            List<Node> dUses = consumers.getOrDefault(d, List.of());
            if (dUses.size() != 2 || outputs.contains(d)) {
                return null;
            }
            Node pow = dUses.stream().filter(n -> n.opType().equals("Pow")).findFirst().orElse(null);
            Node div = dUses.stream().filter(n -> n.opType().equals("Div")).findFirst().orElse(null);
            if (pow == null || div == null || !pow.input(0).equals(d) || scalar(pow.input(1)) != 2.0 || !div.input(0).equals(d)) {
                return null;
            }
            Node var = only(pow.output(0), "ReduceMean");
            if (var == null || !lastAxis(graph, var)) {
                return null;
            }
            Node addEps = only(var.output(0), "Add");
            if (addEps == null) {
                return null;
            }
            String epsName = addEps.input(0).equals(var.output(0)) ? addEps.input(1) : addEps.input(0);
            double eps = scalar(epsName);
            if (Double.isNaN(eps)) {
                return null;
            }
            Node sqrt = only(addEps.output(0), "Sqrt");
            if (sqrt == null || !div.input(1).equals(sqrt.output(0)) || uses(sqrt.output(0)) != 1) {
                return null;
            }
            Node mul = only(div.output(0), "Mul");
            if (mul == null) {
                return null;
            }
            String gamma = mul.input(0).equals(div.output(0)) ? mul.input(1) : mul.input(0);
            Node add = only(mul.output(0), "Add");
            if (add == null || !vector(gamma)) {
                return null;
            }
            String beta = add.input(0).equals(mul.output(0)) ? add.input(1) : add.input(0);
            if (!vector(beta)) {
                return null;
            }
            nodes.addAll(List.of(mean, sub, pow, var, addEps, sqrt, div, mul, add));
            return new Node(mean.name(), "LayerNormalization", "", List.of(x, gamma, beta), List.of(add.output(0)),
                    List.of(new Attribute.Int("axis", -1), new Attribute.Float("epsilon", (float) eps)));
        }

        /** The single consumer of {@code value} when it has operator {@code op}; null otherwise. */
        private Node only(String value, String op) {
            List<Node> uses = consumers.getOrDefault(value, List.of());
            if (uses.size() != 1 || outputs.contains(value) || !uses.get(0).opType().equals(op)) {
                return null;
            }
            Node n = uses.get(0);
            return n.inputs().stream().filter(value::equals).count() == 1 ? n : null;
        }

        private int uses(String value) {
            return consumers.getOrDefault(value, List.of()).size() + (outputs.contains(value) ? 1 : 0);
        }

        private double scalar(String name) {
            Tensor t = graph.initializer(name);
            if (t == null || t.elementCount() != 1) {
                return Double.NaN;
            }
            if (t.type() == DataType.FLOAT) {
                return t.floats()[0];
            }
            return t.type() == DataType.DOUBLE ? t.doubles()[0] : Double.NaN;
        }

        private boolean vector(String name) {
            Tensor t = graph.initializer(name);
            return t != null && t.shape().length == 1 && t.type().isFloatingPoint();
        }
    }
}
