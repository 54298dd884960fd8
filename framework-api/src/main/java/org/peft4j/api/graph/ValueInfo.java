package org.peft4j.api.graph;

import java.util.Arrays;
import java.util.Objects;

/**
 * The name, element type and static shape of a value in a {@link Graph}.
 *
 * <p>Contract: {@code shape} holds one non-negative extent per axis (a scalar has an empty shape);
 * peft4j compiles artifacts for fixed batch sizes and sequence lengths, so every shape is static
 * once a graph has been specialised. The array is copied on the way in and out.
 *
 * @param name the value's name, unique in its graph
 * @param type the element type
 * @param shape the extents
 */
public record ValueInfo(String name, DataType type, long[] shape) {

    public ValueInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = Objects.requireNonNull(shape, "shape").clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of axes. */
    public int rank() {
        return shape.length;
    }

    /** The extent of {@code axis}; negative axes count from the end. */
    public long dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** The number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The same value under another name. */
    public ValueInfo withName(String newName) {
        return new ValueInfo(newName, type, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueInfo v && name.equals(v.name) && type == v.type && Arrays.equals(shape, v.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + ":" + type + Arrays.toString(shape);
    }
}
