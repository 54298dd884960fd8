package org.peft4j.api.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One operator application in a {@link Graph}.
 *
 * <p>Contract: {@code opType} is an ONNX operator name in {@code domain} (empty for the default
 * domain); inputs and outputs are value names, where an empty string marks an omitted optional
 * input. A node is mutable only through its graph's editing methods ({@link Graph#setInput}) so that
 * the graph can keep its indexes right; lists returned here are read-only.
 */
public final class Node {

    private final String name;
    private final String opType;
    private final String domain;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, Attribute> attributes;

    /**
     * @param name a name unique in its graph
     * @param opType the operator, such as {@code MatMul}
     * @param domain the operator domain, empty for the ONNX default domain
     * @param inputs input value names
     * @param outputs output value names
     * @param attributes attributes, in any order
     */
    public Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
            List<Attribute> attributes) {
        this.name = Objects.requireNonNull(name, "name");
        this.opType = Objects.requireNonNull(opType, "opType");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.inputs = new ArrayList<>(inputs);
        this.outputs = new ArrayList<>(outputs);
        this.attributes = new LinkedHashMap<>();
        for (Attribute a : attributes) {
            this.attributes.put(a.name(), a);
        }
    }

    public String name() {
        return name;
    }

    public String opType() {
        return opType;
    }

    public String domain() {
        return domain;
    }

    /** Input value names, read-only. */
    public List<String> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    /** The {@code i}-th input, or an empty string when the optional input is absent. */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    /** Output value names, read-only. */
    public List<String> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    /** The {@code i}-th output. */
    public String output(int i) {
        return outputs.get(i);
    }

    /** Attributes by name, read-only. */
    public Map<String, Attribute> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /** Whether the attribute is present. */
    public boolean has(String attribute) {
        return attributes.containsKey(attribute);
    }

    /** An integer attribute, or {@code defaultValue} when absent. */
    public long intAttr(String attribute, long defaultValue) {
        Attribute a = attributes.get(attribute);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof Attribute.Int i) {
            return i.value();
        }
        throw wrongKind(attribute, "an integer");
    }

    /** A float attribute, or {@code defaultValue} when absent. */
    public float floatAttr(String attribute, float defaultValue) {
        Attribute a = attributes.get(attribute);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof Attribute.Float f) {
            return f.value();
        }
        throw wrongKind(attribute, "a float");
    }

    /** A list-of-integers attribute, or null when absent. */
    public long[] intsAttr(String attribute) {
        Attribute a = attributes.get(attribute);
        if (a == null) {
            return null;
        }
        if (a instanceof Attribute.Ints i) {
            return i.array();
        }
        throw wrongKind(attribute, "a list of integers");
    }

    /** A string attribute, or {@code defaultValue} when absent. */
    public String stringAttr(String attribute, String defaultValue) {
        Attribute a = attributes.get(attribute);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof Attribute.Str s) {
            return s.value();
        }
        throw wrongKind(attribute, "a string");
    }

    /** A tensor attribute, or null when absent. */
    public Tensor tensorAttr(String attribute) {
        Attribute a = attributes.get(attribute);
        if (a == null) {
            return null;
        }
        if (a instanceof Attribute.TensorValue t) {
            return t.value();
        }
        throw wrongKind(attribute, "a tensor");
    }

    void setInputInternal(int index, String value) {
        inputs.set(index, value);
    }

    void setAttributeInternal(Attribute attribute) {
        attributes.put(attribute.name(), attribute);
    }

    private IllegalStateException wrongKind(String attribute, String expected) {
        return new IllegalStateException("attribute '" + attribute + "' of node '" + name + "' (" + opType + ") is not " + expected);
    }

    @Override
    public String toString() {
        return name + "=" + opType + inputs + "->" + outputs;
    }
}
