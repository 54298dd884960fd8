package org.peft4j.api.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.method.AdapterContext;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.ParameterValues;

/**
 * An {@link AdapterContext} for tests: it adds parameters to the graph as float initializers and
 * records every declaration and initial value in registration order.
 *
 * <p>Contract: {@link #addParameter} enforces the interface's checks (unused name, exact value
 * count). {@link #dropout} records {@code (value, p)} and, for {@code p > 0}, appends an ONNX
 * {@code Dropout} node with ratio {@code p} (which {@link ReferenceEvaluator} evaluates as the
 * identity, as at evaluation time). Not thread-safe.
 */
public final class RecordingAdapterContext implements AdapterContext {

    /** One {@link #dropout} call. */
    public record DropoutCall(String value, double p) {
    }

    private final Graph graph;
    private final Random random;
    private final Map<String, AdapterParameter> parameters = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final List<DropoutCall> dropouts = new ArrayList<>();

    /**
     * @param graph the graph to rewrite
     * @param seed the seed of {@link #random()}
     */
    public RecordingAdapterContext(Graph graph, long seed) {
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
        if (parameters.containsKey(parameter.name()) || graph.initializer(parameter.name()) != null) {
            throw new IllegalArgumentException("parameter name '" + parameter.name() + "' is taken");
        }
        if (initialValues.length != parameter.elementCount()) {
            throw new IllegalArgumentException("parameter '" + parameter.name() + "' needs " + parameter.elementCount()
                    + " values, got " + initialValues.length);
        }
        parameters.put(parameter.name(), parameter);
        values.put(parameter.name(), initialValues.clone());
        graph.putInitializer(Tensor.ofFloats(parameter.name(), parameter.shape(), initialValues));
        return parameter.name();
    }

    @Override
    public String dropout(String value, double p) {
        dropouts.add(new DropoutCall(value, p));
        if (p == 0) {
            return value;
        }
        return graph.op("Dropout", List.of(value, graph.scalar((float) p)));
    }

    /** Every registered parameter, in registration order; read-only. */
    public List<AdapterParameter> parameters() {
        return List.copyOf(parameters.values());
    }

    /** The parameter of that name, or null. */
    public AdapterParameter parameter(String name) {
        return parameters.get(name);
    }

    /** A copy of the initial values registered for {@code name}. */
    public float[] initialValues(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return v.clone();
    }

    /** Every dropout call, in order; read-only. */
    public List<DropoutCall> dropoutCalls() {
        return Collections.unmodifiableList(dropouts);
    }

    /** The sum of element counts of the parameters that train at step 0. */
    public long trainableCount() {
        return parameters.values().stream().filter(AdapterParameter::trainable).mapToLong(AdapterParameter::elementCount).sum();
    }

    /**
     * The registered values, with {@code overrides} taking precedence, as {@link ParameterValues}.
     *
     * @param overrides replacement values by name; may be empty
     */
    public ParameterValues values(Map<String, float[]> overrides) {
        Map<String, float[]> all = new LinkedHashMap<>(values);
        overrides.forEach((k, v) -> {
            if (!all.containsKey(k)) {
                throw new IllegalArgumentException("no parameter '" + k + "' to override");
            }
            all.put(k, v.clone());
        });
        return new ParameterValues() {
            @Override
            public float[] get(String name) {
                float[] v = all.get(name);
                if (v == null) {
                    throw new IllegalArgumentException("unknown parameter '" + name + "'");
                }
                return v.clone();
            }

            @Override
            public Set<String> names() {
                return Collections.unmodifiableSet(all.keySet());
            }
        };
    }
}
