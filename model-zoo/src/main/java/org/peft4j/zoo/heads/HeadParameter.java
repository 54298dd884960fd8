package org.peft4j.zoo.heads;

import java.util.Arrays;
import java.util.Objects;

/**
 * One trainable tensor of a task head with its initial value.
 *
 * <p>Contract: {@code name} is the graph initializer's name ({@code pre_classifier.weight},
 * {@code pre_classifier.bias}, {@code classifier.weight}, {@code classifier.bias}); weights are
 * stored {@code [in, out]}, the ONNX export layout (the transpose of PyTorch's {@code [out, in]});
 * {@code initialValues} holds exactly the shape's element count, row-major. Arrays are copied in
 * and out.
 *
 * @param name the initializer name
 * @param shape the extents
 * @param initialValues the initial values
 */
public record HeadParameter(String name, long[] shape, float[] initialValues) {

    public HeadParameter {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
        initialValues = initialValues.clone();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != initialValues.length) {
            throw new IllegalArgumentException("head parameter '" + name + "' of shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + initialValues.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public float[] initialValues() {
        return initialValues.clone();
    }

    /** The number of elements. */
    public long elementCount() {
        return initialValues.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeadParameter p && name.equals(p.name) && Arrays.equals(shape, p.shape)
                && Arrays.equals(initialValues, p.initialValues);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(initialValues));
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
