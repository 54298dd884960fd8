package org.peft4j.engine.optim;

import java.util.Arrays;
import java.util.Objects;

/**
 * A trainable tensor as the optimizer sees it.
 *
 * @param name the parameter's graph name
 * @param shape its extents
 * @param group the index of its {@link ParameterGroup}
 */
public record OptimizedParameter(String name, long[] shape, int group) {

    public OptimizedParameter {
        Objects.requireNonNull(name, "name");
        shape = Objects.requireNonNull(shape, "shape").clone();
        if (group < 0) {
            throw new IllegalArgumentException("parameter '" + name + "': negative group index " + group);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizedParameter p && name.equals(p.name) && Arrays.equals(shape, p.shape) && group == p.group;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), group);
    }
}
