package org.peft4j.engine.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.shape.ShapeInference;

/**
 * Upgrades a graph's default-domain operators from the opset it was exported with (11 or newer)
 * to a newer one, rewriting the operators whose signature changed in between.
 *
 * <p>Rewritten: {@code Squeeze}, {@code Unsqueeze}, {@code ReduceSum} (axes attribute to input, opset
 * 13), {@code Split} (split attribute to input, opset 13), {@code Softmax}, {@code LogSoftmax},
 * {@code Hardmax} (opset 13 normalises one axis instead of the flattened trailing block: a
 * non-last axis is rewritten as Flatten, normalise, Reshape), {@code Dropout} (ratio attribute to
 * input, opset 12), and, when the target is 18 or newer, the axes of every other {@code Reduce*}
 * operator. Operators whose signature did not change keep their attributes. Nodes of other
 * domains are left alone.
 *
 * <p>Contract: after {@link #upgrade} the graph's {@link Graph#opset()} is the target and it
 * computes the same function as before. Opsets below 11 and downgrades are rejected with an
 * {@link IllegalArgumentException}; the graph is then unchanged.
 */
public final class OpsetUpgrader {

    private static final List<String> REDUCE_18 = List.of("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
            "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");

    private OpsetUpgrader() {
    }

    /**
     * Upgrades {@code graph} in place to {@code target}.
     *
     * @throws IllegalArgumentException when the graph's opset is below 11 or above {@code target},
     *     or {@code target} is above 20
     */
    public static void upgrade(Graph graph, int target) {
        int from = graph.opset();
        if (from == target) {
            return;
        }
        if (target > 20) {
            throw new IllegalArgumentException("cannot upgrade to opset " + target + ": peft4j writes at most opset 20");
        }
        if (from > target) {
            throw new IllegalArgumentException("graph '" + graph.name() + "' uses opset " + from + ", newer than " + target);
        }
        if (from < 11) {
            throw new IllegalArgumentException("graph '" + graph.name() + "' uses opset " + from + "; peft4j reads opset 11 and newer");
        }
        Map<String, ValueInfo> known = knownShapes(graph);
        List<Node> result = new ArrayList<>(graph.nodes().size());
        for (Node node : graph.nodes()) {
            if (!node.domain().isEmpty()) {
                result.add(node);
                continue;
            }
            String op = node.opType();
            List<Node> replacement = List.of(node);
            if (from < 13 && target >= 13) {
                switch (op) {
                    case "Squeeze", "Unsqueeze", "ReduceSum" -> replacement = List.of(attributeToInput(graph, node, "axes", 1));
                    case "Split" -> replacement = List.of(attributeToInput(graph, node, "split", 1));
                    case "Softmax", "LogSoftmax", "Hardmax" -> replacement = upgradeSoftmax(graph, node, known);
                    default -> {
                    }
                }
            }
            if (from < 12 && target >= 12 && op.equals("Dropout")) {
                replacement = List.of(upgradeDropout(graph, node));
            }
            if (from < 18 && target >= 18 && REDUCE_18.contains(op)) {
                replacement = List.of(attributeToInput(graph, node, "axes", 1));
            }
            result.addAll(replacement);
        }
        setNodes(graph, result);
        graph.setOpset(target);
    }

    /** Moves an ints attribute into an int64 initializer fed as input {@code index}. */
    private static Node attributeToInput(Graph graph, Node node, String attribute, int index) {
        long[] values = node.intsAttr(attribute);
        if (values == null) {
            return node;
        }
        String name = graph.uniqueName(node.name() + "_" + attribute);
        graph.putInitializer(Tensor.vector(name, values));
        return rebuild(node, withInput(node.inputs(), index, name), without(node, attribute));
    }

    private static Node upgradeDropout(Graph graph, Node node) {
        float ratio = node.floatAttr("ratio", 0.5f);
        String name = graph.uniqueName(node.name() + "_ratio");
        graph.putInitializer(Tensor.scalar(name, ratio));
        List<Attribute> attrs = without(node, "ratio");
        attrs.removeIf(a -> a.name().equals("is_test"));
        return rebuild(node, withInput(node.inputs(), 1, name), attrs);
    }

    /** Shapes (with unknown extents) inferred at the old opset, or the recorded ones when inference fails. */
    private static Map<String, ValueInfo> knownShapes(Graph graph) {
        try {
            return ShapeInference.infer(graph);
        } catch (RuntimeException e) {
            Map<String, ValueInfo> m = new HashMap<>(graph.valueInfos());
            graph.inputs().forEach(v -> m.put(v.name(), v));
            return m;
        }
    }

    private static List<Node> upgradeSoftmax(Graph graph, Node node, Map<String, ValueInfo> known) {
        long axis = node.intAttr("axis", 1);
        ValueInfo info = known.get(node.input(0));
        int rank = info == null ? -1 : info.rank();
        List<Attribute> attrs = without(node, "axis");
        attrs.add(new Attribute.Int("axis", -1));
        if (axis == -1 || (rank > 0 && axis == rank - 1)) {
            return List.of(rebuild(node, node.inputs(), attrs));
        }
        if (axis < 0 && rank < 0) {
            throw new IllegalArgumentException(node.opType() + " node '" + node.name() + "' has axis " + axis
                    + " and an input of unknown rank");
        }
        // opset < 13 semantics: coerce to 2-D at axis, normalise the rows, restore the shape.
        String x = node.input(0);
        String flat = graph.uniqueName(node.name() + "_flat");
        String shape = graph.uniqueName(node.name() + "_shape");
        String normalised = graph.uniqueName(node.name() + "_2d");
        return List.of(
                new Node(graph.uniqueName(node.name() + "_Flatten"), "Flatten", "", List.of(x), List.of(flat),
                        List.of(new Attribute.Int("axis", axis < 0 ? axis + rank : axis))),
                new Node(graph.uniqueName(node.name() + "_Shape"), "Shape", "", List.of(x), List.of(shape), List.of()),
                new Node(graph.uniqueName(node.name() + "_2d"), node.opType(), "", List.of(flat), List.of(normalised), attrs),
                new Node(node.name(), "Reshape", "", List.of(normalised, shape), List.of(node.output(0)), List.of()));
    }

    private static List<String> withInput(List<String> inputs, int index, String value) {
        List<String> r = new ArrayList<>(inputs);
        while (r.size() < index) {
            r.add("");
        }
        if (r.size() == index) {
            r.add(value);
        } else {
            r.set(index, value);
        }
        return r;
    }

    private static List<Attribute> without(Node node, String attribute) {
        List<Attribute> r = new ArrayList<>(node.attributes().values());
        r.removeIf(a -> a.name().equals(attribute));
        return r;
    }

    private static Node rebuild(Node node, List<String> inputs, List<Attribute> attributes) {
        return new Node(node.name(), node.opType(), node.domain(), inputs, node.outputs(), attributes);
    }

    /** Replaces all nodes of {@code graph} by {@code nodes}, in that order. */
    public static void setNodes(Graph graph, List<Node> nodes) {
        List<Node> old = new ArrayList<>(graph.nodes());
        for (int i = old.size() - 1; i >= 0; i--) {
            graph.removeNode(old.get(i));
        }
        graph.addNodes(nodes);
    }
}
