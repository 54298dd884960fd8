package org.peft4j.api.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A mutable ONNX-like computation graph with a small builder API.
 *
 * <p>Contract:
 * <ul>
 *   <li>Every value name is produced once: by a graph input, an initializer or one node output;
 *       the graph does not police this while editing, the engine checks it before compiling.</li>
 *   <li>Nodes may be appended in any order while editing; {@link #sortTopologically()} restores
 *       the order ONNX requires and fails on a cycle or a value that nothing produces.</li>
 *   <li>The builder methods ({@link #matMul}, {@link #add}, ...) append one node, give it and its
 *       output fresh unique names, and return the output's name. They do not infer shapes; the
 *       engine infers every shape before compiling.</li>
 *   <li>{@link #uniqueName(String)} never returns a name already used by a value or node.</li>
 *   <li>The graph is not thread-safe.</li>
 * </ul>
 */
public final class Graph {

    private String name;
    private int opset;
    private final List<Node> nodes = new ArrayList<>();
    private final LinkedHashMap<String, Tensor> initializers = new LinkedHashMap<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final Map<String, ValueInfo> valueInfos = new LinkedHashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Map<String, Integer> nameCounters = new HashMap<>();

    /**
     * @param name the graph's name
     * @param opset the ONNX default-domain opset its nodes follow
     */
    public Graph(String name, int opset) {
        this.name = Objects.requireNonNull(name, "name");
        this.opset = opset;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The ONNX default-domain opset version. */
    public int opset() {
        return opset;
    }

    public void setOpset(int opset) {
        this.opset = opset;
    }

    /** The nodes in their current order, read-only. */
    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** Initializers by name, in insertion order, read-only. */
    public Map<String, Tensor> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /** The graph inputs, read-only. */
    public List<ValueInfo> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    /** The graph outputs, read-only. */
    public List<ValueInfo> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    /** Known types and shapes of intermediate values, read-only. */
    public Map<String, ValueInfo> valueInfos() {
        return Collections.unmodifiableMap(valueInfos);
    }

    // ---------------------------------------------------------------- editing

    /** Appends a graph input. */
    public void addInput(ValueInfo input) {
        reserve(input.name());
        inputs.add(input);
    }

    /** Removes a graph input by name; returns whether it existed. */
    public boolean removeInput(String inputName) {
        return inputs.removeIf(v -> v.name().equals(inputName));
    }

    /** Appends a graph output; the value must exist or be produced later. */
    public void addOutput(ValueInfo output) {
        usedNames.add(output.name());
        outputs.add(output);
    }

    /** Removes a graph output by name; returns whether it existed. */
    public boolean removeOutput(String outputName) {
        return outputs.removeIf(v -> v.name().equals(outputName));
    }

    /** Adds or replaces an initializer under the tensor's name. */
    public void putInitializer(Tensor tensor) {
        usedNames.add(tensor.name());
        initializers.put(tensor.name(), tensor);
    }

    /** Removes an initializer; returns it, or null when absent. */
    public Tensor removeInitializer(String initializerName) {
        return initializers.remove(initializerName);
    }

    /** The initializer of that name, or null. */
    public Tensor initializer(String initializerName) {
        return initializers.get(initializerName);
    }

    /** Records the type and shape of a value. */
    public void setValueInfo(ValueInfo info) {
        usedNames.add(info.name());
        valueInfos.put(info.name(), info);
    }

    /** Forgets every recorded intermediate type and shape. */
    public void clearValueInfos() {
        valueInfos.clear();
    }

    /**
     * The type and shape of a value from the inputs, initializers, outputs or recorded value
     * infos, or null when unknown.
     */
    public ValueInfo valueInfo(String valueName) {
        for (ValueInfo v : inputs) {
            if (v.name().equals(valueName)) {
                return v;
            }
        }
        Tensor t = initializers.get(valueName);
        if (t != null) {
            return t.info();
        }
        ValueInfo v = valueInfos.get(valueName);
        if (v != null) {
            return v;
        }
        for (ValueInfo o : outputs) {
            if (o.name().equals(valueName)) {
                return o;
            }
        }
        return null;
    }

    /** Appends a node; its name and output names must be unused. */
    public Node addNode(Node node) {
        reserve(node.name());
        for (String out : node.outputs()) {
            if (!out.isEmpty()) {
                usedNames.add(out);
            }
        }
        nodes.add(node);
        return node;
    }

    /** Appends every node, in order. */
    public void addNodes(List<Node> newNodes) {
        newNodes.forEach(this::addNode);
    }

    /** Removes a node (by identity); returns whether it was present. */
    public boolean removeNode(Node node) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) == node) {
                nodes.remove(i);
                return true;
            }
        }
        return false;
    }

    /** Replaces the {@code index}-th input of {@code node}. */
    public void setInput(Node node, int index, String value) {
        node.setInputInternal(index, value);
    }

    /** Sets or replaces an attribute of {@code node}. */
    public void setAttribute(Node node, Attribute attribute) {
        node.setAttributeInternal(attribute);
    }

    /**
     * Appends a node with one output and returns the output's name.
     *
     * @param opType the ONNX operator
     * @param inputs input value names
     * @param attributes attributes
     */
    public String op(String opType, List<String> inputs, Attribute... attributes) {
        String out = uniqueName(opType.toLowerCase() + "_out");
        addNode(new Node(uniqueName(opType), opType, "", inputs, List.of(out), Arrays.asList(attributes)));
        return out;
    }

    /** {@code a @ b} with numpy MatMul semantics. */
    public String matMul(String a, String b) {
        return op("MatMul", List.of(a, b));
    }

    /** {@code a + b}, broadcasting. */
    public String add(String a, String b) {
        return op("Add", List.of(a, b));
    }

    /** {@code a - b}, broadcasting. */
    public String sub(String a, String b) {
        return op("Sub", List.of(a, b));
    }

    /** {@code a * b}, broadcasting. */
    public String mul(String a, String b) {
        return op("Mul", List.of(a, b));
    }

    /** {@code a / b}, broadcasting. */
    public String div(String a, String b) {
        return op("Div", List.of(a, b));
    }

    /** The axes of {@code x} permuted by {@code perm}. */
    public String transpose(String x, long... perm) {
        return op("Transpose", List.of(x), Attribute.ints("perm", perm));
    }

    /** {@code x} reshaped to the constant {@code shape} (ONNX Reshape semantics: 0 copies, -1 infers). */
    public String reshape(String x, long... shape) {
        return op("Reshape", List.of(x, constant(Tensor.vector(uniqueName("shape"), shape))));
    }

    /** Adds a constant as an initializer under a fresh name derived from the tensor's name. */
    public String constant(Tensor value) {
        String n = uniqueName(value.name().isEmpty() ? "const" : value.name());
        putInitializer(value.withName(n));
        return n;
    }

    /** A float scalar constant. */
    public String scalar(float value) {
        return constant(Tensor.scalar("scalar", value));
    }

    /**
     * Adds {@code delta} to {@code value}: appends {@code sum = Add(value, delta)} and makes every
     * other consumer of {@code value}, and any graph output of that name, use {@code sum}
     * instead. Returns the name of {@code sum}. This is how adapters attach a parallel path to a
     * linear layer's output.
     */
    public String addToValue(String value, String delta) {
        if (isOutput(value)) {
            throw new IllegalStateException("cannot adapt '" + value + "': it is a graph output of '" + name + "'");
        }
        String sum = uniqueName(value + "_adapted");
        Node addNode = new Node(uniqueName("AdapterAdd"), "Add", "", List.of(value, delta), List.of(sum), List.of());
        replaceUses(value, sum);
        addNode(addNode);
        return sum;
    }

    /** Makes every node that reads {@code oldValue} read {@code newValue} instead. */
    public void replaceUses(String oldValue, String newValue) {
        for (Node n : nodes) {
            List<String> ins = n.inputs();
            for (int i = 0; i < ins.size(); i++) {
                if (ins.get(i).equals(oldValue)) {
                    n.setInputInternal(i, newValue);
                }
            }
        }
    }

    // ---------------------------------------------------------------- queries

    /** The node that produces {@code value}, or null for inputs, initializers and unknown names. */
    public Node producer(String value) {
        for (Node n : nodes) {
            if (n.outputs().contains(value)) {
                return n;
            }
        }
        return null;
    }

    /** The nodes that read {@code value}, in graph order. */
    public List<Node> consumers(String value) {
        List<Node> result = new ArrayList<>();
        for (Node n : nodes) {
            if (n.inputs().contains(value)) {
                result.add(n);
            }
        }
        return result;
    }

    /** Whether {@code value} is a graph input. */
    public boolean isInput(String value) {
        return inputs.stream().anyMatch(v -> v.name().equals(value));
    }

    /** Whether {@code value} is a graph output. */
    public boolean isOutput(String value) {
        return outputs.stream().anyMatch(v -> v.name().equals(value));
    }

    /**
     * A name starting with {@code prefix} that no value or node of this graph uses yet; the name
     * is reserved on return.
     */
    public String uniqueName(String prefix) {
        String base = prefix.isEmpty() ? "v" : prefix;
        if (usedNames.add(base)) {
            return base;
        }
        int counter = nameCounters.getOrDefault(base, 0);
        String candidate;
        do {
            counter++;
            candidate = base + "_" + counter;
        } while (!usedNames.add(candidate));
        nameCounters.put(base, counter);
        return candidate;
    }

    // ---------------------------------------------------------------- whole-graph operations

    /**
     * Reorders the nodes so that every value is produced before it is read (stable for nodes
     * already in order).
     *
     * @throws IllegalStateException on a cycle, or when a node reads a value that no input,
     *     initializer or node produces (the message names the node and the value)
     */
    public void sortTopologically() {
        Set<String> available = new HashSet<>(initializers.keySet());
        inputs.forEach(v -> available.add(v.name()));
        available.add("");
        Map<String, List<Node>> waiting = new HashMap<>();
        Map<Node, Integer> missing = new HashMap<>();
        Deque<Node> ready = new ArrayDeque<>();
        for (Node n : nodes) {
            int count = 0;
            for (String in : new HashSet<>(n.inputs())) {
                if (!available.contains(in)) {
                    count++;
                    waiting.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
            missing.put(n, count);
            if (count == 0) {
                ready.add(n);
            }
        }
        List<Node> sorted = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            sorted.add(n);
            for (String out : n.outputs()) {
                List<Node> ws = waiting.remove(out);
                if (ws != null) {
                    for (Node w : ws) {
                        if (missing.merge(w, -1, Integer::sum) == 0) {
                            ready.add(w);
                        }
                    }
                }
            }
        }
        if (sorted.size() != nodes.size()) {
            for (Node n : nodes) {
                if (missing.get(n) > 0) {
                    String value = n.inputs().stream().filter(waiting::containsKey).findFirst().orElse("?");
                    throw new IllegalStateException("node '" + n.name() + "' (" + n.opType() + ") reads '" + value
                            + "', which nothing produces or which depends on the node itself");
                }
            }
        }
        nodes.clear();
        nodes.addAll(sorted);
    }

    /**
     * Removes every node whose outputs do not contribute to a graph output, and every initializer
     * and recorded value info that no remaining node or output uses. Graph inputs are kept.
     *
     * @return the number of nodes removed
     */
    public int prune() {
        Set<String> live = new HashSet<>();
        outputs.forEach(v -> live.add(v.name()));
        List<Node> kept = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            boolean needed = n.outputs().stream().anyMatch(live::contains);
            if (needed) {
                kept.add(n);
                live.addAll(n.inputs());
            }
        }
        Collections.reverse(kept);
        int removed = nodes.size() - kept.size();
        nodes.clear();
        nodes.addAll(kept);
        initializers.keySet().removeIf(k -> !live.contains(k));
        valueInfos.keySet().removeIf(k -> !live.contains(k));
        return removed;
    }

    /** A deep copy; tensors are immutable and shared. */
    public Graph copy() {
        Graph g = new Graph(name, opset);
        g.inputs.addAll(inputs);
        g.outputs.addAll(outputs);
        g.initializers.putAll(initializers);
        g.valueInfos.putAll(valueInfos);
        for (Node n : nodes) {
            g.nodes.add(new Node(n.name(), n.opType(), n.domain(), n.inputs(), n.outputs(), List.copyOf(n.attributes().values())));
        }
        g.usedNames.addAll(usedNames);
        g.nameCounters.putAll(nameCounters);
        return g;
    }

    private void reserve(String value) {
        usedNames.add(value);
    }

    @Override
    public String toString() {
        return "Graph[" + name + ", opset " + opset + ", " + nodes.size() + " nodes, " + initializers.size() + " initializers]";
    }
}
