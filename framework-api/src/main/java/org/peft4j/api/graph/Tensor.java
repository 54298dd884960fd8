package org.peft4j.api.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A constant tensor: an initializer of a {@link Graph} or the value of a tensor attribute.
 *
 * <p>Contract: the data is little-endian, row-major, and holds exactly
 * {@code elementCount() * type.byteSize()} bytes. A tensor is immutable: factories copy their
 * input and accessors return copies or read-only views.
 */
public final class Tensor {

    private final String name;
    private final DataType type;
    private final long[] shape;
    private final ByteBuffer data;

    /**
     * @param name the name, or an empty string for an anonymous attribute value
     * @param type the element type
     * @param shape the extents
     * @param data the raw little-endian bytes; copied
     * @throws IllegalArgumentException when the size of {@code data} does not match the shape
     */
    public Tensor(String name, DataType type, long[] shape, ByteBuffer data) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.shape = Objects.requireNonNull(shape, "shape").clone();
        ByteBuffer src = Objects.requireNonNull(data, "data").duplicate();
        long expected = elementCount(this.shape) * type.byteSize();
        if (src.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(this.shape) + " and type "
                    + type + " needs " + expected + " bytes, got " + src.remaining());
        }
        ByteBuffer copy = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(src);
        copy.flip();
        this.data = copy.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A float tensor holding {@code values}. */
    public static Tensor ofFloats(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(name, DataType.FLOAT, shape, b);
    }

    /** A double tensor holding {@code values}. */
    public static Tensor ofDoubles(String name, long[] shape, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return new Tensor(name, DataType.DOUBLE, shape, b);
    }

    /** An int64 tensor holding {@code values}. */
    public static Tensor ofLongs(String name, long[] shape, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(name, DataType.INT64, shape, b);
    }

    /** A bool tensor holding {@code values}. */
    public static Tensor ofBooleans(String name, long[] shape, boolean[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (boolean v : values) {
            b.put((byte) (v ? 1 : 0));
        }
        b.flip();
        return new Tensor(name, DataType.BOOL, shape, b);
    }

    /** A rank-0 float tensor. */
    public static Tensor scalar(String name, float value) {
        return ofFloats(name, new long[0], new float[] {value});
    }

    /** A rank-1 int64 tensor, the usual form of shapes and axes. */
    public static Tensor vector(String name, long... values) {
        return ofLongs(name, new long[] {values.length}, values);
    }

    /** The name; empty for anonymous attribute values. */
    public String name() {
        return name;
    }

    /** The element type. */
    public DataType type() {
        return type;
    }

    /** A copy of the extents. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public long elementCount() {
        return elementCount(shape);
    }

    /** A read-only little-endian view of the raw bytes, positioned at 0. */
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The values as floats; only for {@link DataType#FLOAT}. */
    public float[] floats() {
        requireType(DataType.FLOAT);
        float[] out = new float[(int) elementCount()];
        data().asFloatBuffer().get(out);
        return out;
    }

    /** A read-only float view without copying; only for {@link DataType#FLOAT}. */
    public FloatBuffer floatBuffer() {
        requireType(DataType.FLOAT);
        return data().asFloatBuffer();
    }

    /** The values as doubles; only for {@link DataType#DOUBLE}. */
    public double[] doubles() {
        requireType(DataType.DOUBLE);
        double[] out = new double[(int) elementCount()];
        data().asDoubleBuffer().get(out);
        return out;
    }

    /** The values as longs, widening int32 and bool; for integer and bool tensors. */
    public long[] longs() {
        long[] out = new long[(int) elementCount()];
        ByteBuffer d = data();
        switch (type) {
            case INT64 -> d.asLongBuffer().get(out);
            case INT32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = d.getInt(i * 4);
                }
            }
            case BOOL, UINT8 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = d.get(i) & 0xff;
                }
            }
            case INT8 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = d.get(i);
                }
            }
            default -> throw new IllegalStateException("tensor '" + name + "' of type " + type + " has no integer values");
        }
        return out;
    }

    /** The same data under another name. */
    public Tensor withName(String newName) {
        return new Tensor(newName, type, shape, data);
    }

    /** The value info of this tensor. */
    public ValueInfo info() {
        return new ValueInfo(name, type, shape);
    }

    private void requireType(DataType expected) {
        if (type != expected) {
            throw new IllegalStateException("tensor '" + name + "' is " + type + ", not " + expected);
        }
    }

    private static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative extent in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ":" + type + Arrays.toString(shape) + "]";
    }
}
