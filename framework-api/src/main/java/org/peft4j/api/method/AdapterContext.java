package org.peft4j.api.method;

import java.util.Random;
import org.peft4j.api.graph.Graph;

/**
 * What the engine offers an {@link Adapter} while it rewrites a graph.
 *
 * <p>Contract: {@link #random()} is seeded from the run's seed, so the same seed gives the same
 * initial values; adapters draw from it in a fixed order. Parameters added with
 * {@link #addParameter} become initializers of {@link #graph()}; the engine later turns the
 * trainable ones into training inputs and records the rest as constants.
 */
public interface AdapterContext {

    /** The graph being rewritten; never null. */
    Graph graph();

    /** The run's seeded random source for initial values; never null. */
    Random random();

    /**
     * Registers a parameter or constant and adds it to the graph as an initializer.
     *
     * @param parameter its declaration; the name must be unused
     * @param initialValues row-major values, exactly {@code parameter.elementCount()} of them
     * @return the graph value name (equal to {@code parameter.name()})
     * @throws IllegalArgumentException when the name is taken or the value count is wrong
     */
    String addParameter(AdapterParameter parameter, float[] initialValues);

    /**
     * {@code value} with inverted dropout of probability {@code p} applied while training and the
     * identity at evaluation; returns {@code value} itself when {@code p == 0}.
     */
    String dropout(String value, double p);
}
