package org.peft4j.engine.artifacts;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor of the model that the engine manages: an adapter parameter or a head parameter. Its
 * current value is kept by the engine (checkpointed, carried over on recompilation); everything
 * else in the model is a frozen base weight.
 *
 * <p>Contract: {@code name} names a float initializer of the model graph with this shape;
 * {@code group} indexes the run's optimizer parameter groups; a tensor that is not
 * {@code trainable} is a constant for the whole run (such as ELoRA's shared projections), one that
 * is {@code freezable} may be frozen by a freeze schedule later.
 *
 * @param name graph value name
 * @param shape extents
 * @param group optimizer group index
 * @param head whether it belongs to the classifier head (not counted as an adapter parameter)
 * @param trainable whether it trains from the first step
 * @param freezable whether a freeze schedule may freeze it
 */
public record ManagedParameter(String name, long[] shape, int group, boolean head, boolean trainable, boolean freezable) {

    public ManagedParameter {
        Objects.requireNonNull(name, "name");
        shape = Objects.requireNonNull(shape, "shape").clone();
        if (group < 0) {
            throw new IllegalArgumentException("parameter '" + name + "': negative group " + group);
        }
        if (freezable && !trainable) {
            throw new IllegalArgumentException("parameter '" + name + "' cannot be freezable without being trainable");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public int elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManagedParameter p && name.equals(p.name) && Arrays.equals(shape, p.shape) && group == p.group
                && head == p.head && trainable == p.trainable && freezable == p.freezable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), group, head, trainable, freezable);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
