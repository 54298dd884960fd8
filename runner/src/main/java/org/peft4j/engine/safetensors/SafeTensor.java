package org.peft4j.engine.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a safetensors file: a name, a type, a shape and its values.
 *
 * <p>Contract: exactly one of {@link #floats()} ({@link DType#F32}) and {@link #longs()}
 * ({@link DType#I64}) holds data, with as many elements as the shape says. Factories copy their
 * arguments; accessors return copies, so an instance is immutable.
 */
public final class SafeTensor {

    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final float[] floats;
    private final long[] longs;

    private SafeTensor(String name, DType dtype, long[] shape, float[] floats, long[] longs) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = dtype;
        this.shape = Objects.requireNonNull(shape, "shape").clone();
        this.floats = floats;
        this.longs = longs;
        long count = elementCount(this.shape, name);
        int actual = floats != null ? floats.length : longs.length;
        if (count != actual) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(shape) + " needs " + count
                    + " values, got " + actual);
        }
    }

    /** A float tensor; {@code values} is copied. */
    public static SafeTensor ofFloats(String name, long[] shape, float[] values) {
        return new SafeTensor(name, DType.F32, shape, values.clone(), null);
    }

    /** A rank-1 float tensor. */
    public static SafeTensor ofFloats(String name, float[] values) {
        return ofFloats(name, new long[] {values.length}, values);
    }

    /** An int64 tensor; {@code values} is copied. */
    public static SafeTensor ofLongs(String name, long[] shape, long[] values) {
        return new SafeTensor(name, DType.I64, shape, null, values.clone());
    }

    /** A rank-1 int64 tensor. */
    public static SafeTensor ofLongs(String name, long[] values) {
        return ofLongs(name, new long[] {values.length}, values);
    }

    /** Wraps arrays the caller gives up (no copy), for the reader. */
    static SafeTensor adopt(String name, DType dtype, long[] shape, float[] floats, long[] longs) {
        return new SafeTensor(name, dtype, shape, floats, longs);
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the extents. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public int elementCount() {
        return floats != null ? floats.length : longs.length;
    }

    /**
     * A copy of the float values.
     *
     * @throws IllegalStateException when the tensor is not {@link DType#F32}
     */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("tensor '" + name + "' is " + dtype + ", not F32");
        }
        return floats.clone();
    }

    /**
     * A copy of the int64 values.
     *
     * @throws IllegalStateException when the tensor is not {@link DType#I64}
     */
    public long[] longs() {
        if (longs == null) {
            throw new IllegalStateException("tensor '" + name + "' is " + dtype + ", not I64");
        }
        return longs.clone();
    }

    float[] floatsNoCopy() {
        return floats;
    }

    long[] longsNoCopy() {
        return longs;
    }

    /** The product of the extents; fails on a negative extent or an element count above 2^31-1. */
    static long elementCount(long[] shape, String name) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative extent in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "' has more than 2^31-1 elements: " + Arrays.toString(shape));
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafeTensor t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(floats, t.floats) && Arrays.equals(longs, t.longs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + ":" + dtype + Arrays.toString(shape);
    }
}
