package org.peft4j.engine.adapters;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.method.AdapterContext;
import org.peft4j.api.method.AdapterParameter;

/**
 * The engine's {@link AdapterContext}: parameters become float initializers of the graph and are
 * recorded in registration order; dropout becomes an ONNX {@code Dropout} whose
 * {@code training_mode} input is the shared boolean initializer {@link #TRAINING_MODE}, which the
 * artifact compiler sets to true in the training graph and false in the evaluation graph.
 */
public final class GraphAdapterContext implements AdapterContext {

    /** The name of the shared boolean initializer that switches every dropout on or off. */
    public static final String TRAINING_MODE = "peft4j_training_mode";

    private final Graph graph;
    private final Random random;
    private final Map<String, AdapterParameter> parameters = new LinkedHashMap<>();
    private final Map<String, float[]> initialValues = new LinkedHashMap<>();

    /**
     * @param graph the graph to rewrite
     * @param seed the run's seed; the same seed gives the same initial values
     */
    public GraphAdapterContext(Graph graph, long seed) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.random = new Random(seed);
    }

    @Override
    public Graph graph() {
        return graph;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public String addParameter(AdapterParameter parameter, float[] initialValues) {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(initialValues, "initialValues");
        String name = parameter.name();
        if (parameters.containsKey(name) || graph.initializer(name) != null || graph.producer(name) != null || graph.isInput(name)) {
            throw new IllegalArgumentException("adapter parameter '" + name + "' clashes with an existing value of graph '" + graph.name() + "'");
        }
        if (initialValues.length != parameter.elementCount()) {
            throw new IllegalArgumentException("adapter parameter '" + name + "' needs " + parameter.elementCount() + " values, got "
                    + initialValues.length);
        }
        for (float v : initialValues) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("adapter parameter '" + name + "' has a non-finite initial value");
            }
        }
        graph.putInitializer(Tensor.ofFloats(name, parameter.shape(), initialValues));
        parameters.put(name, parameter);
        this.initialValues.put(name, initialValues.clone());
        return name;
    }

    @Override
    public String dropout(String value, double p) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        if (p == 0) {
            return value;
        }
        if (graph.initializer(TRAINING_MODE) == null) {
            graph.putInitializer(Tensor.ofBooleans(TRAINING_MODE, new long[0], new boolean[] {true}));
        }
        String ratio = graph.constant(Tensor.scalar("dropout_ratio", (float) p));
        String out = graph.uniqueName(value + "_dropout");
        String mask = graph.uniqueName(value + "_dropout_mask");
        graph.addNode(new org.peft4j.api.graph.Node(graph.uniqueName("Dropout"), "Dropout", "", List.of(value, ratio, TRAINING_MODE),
                List.of(out, mask), List.of()));
        return out;
    }

    /** The registered parameters and constants, in registration order. */
    public List<AdapterParameter> parameters() {
        return Collections.unmodifiableList(new ArrayList<>(parameters.values()));
    }

    /** A copy of the initial values of a registered tensor. */
    public float[] initialValue(String name) {
        float[] v = initialValues.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no adapter parameter '" + name + "'");
        }
        return v.clone();
    }
}
