package org.peft4j.engine.shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Tensor;

/**
 * A small dense constant used while folding: integer and bool values as {@code long}s, real
 * values as {@code double}s. Package-private helper of {@link ShapeInference}.
 */
final class Arr {

    final DataType type;
    final long[] shape;
    final long[] l;
    final double[] d;

    Arr(DataType type, long[] shape, long[] l, double[] d) {
        this.type = type;
        this.shape = shape;
        this.l = l;
        this.d = d;
    }

    static Arr ofLongs(DataType type, long[] shape, long[] values) {
        return new Arr(type, shape, values, null);
    }

    static Arr ofDoubles(DataType type, long[] shape, double[] values) {
        return new Arr(type, shape, null, values);
    }

    /** The constant of a tensor, or null for float16 tensors, which are never folded. */
    static Arr of(Tensor t) {
        long[] shape = t.shape();
        switch (t.type()) {
            case FLOAT: {
                float[] f = t.floats();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                return ofDoubles(DataType.FLOAT, shape, d);
            }
            case DOUBLE:
                return ofDoubles(DataType.DOUBLE, shape, t.doubles());
            case FLOAT16:
                return null;
            default:
                return ofLongs(t.type(), shape, t.longs());
        }
    }

    boolean isReal() {
        return d != null;
    }

    int size() {
        return l != null ? l.length : d.length;
    }

    double real(int i) {
        return d != null ? d[i] : l[i];
    }

    long integer(int i) {
        return l != null ? l[i] : (long) d[i];
    }

    long[] longs() {
        if (l != null) {
            return l;
        }
        long[] r = new long[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (long) d[i];
        }
        return r;
    }

    /** A new constant of the same type holding the elements at {@code index} of this one. */
    Arr gather(long[] newShape, int[] index) {
        if (d != null) {
            double[] r = new double[index.length];
            for (int i = 0; i < index.length; i++) {
                r[i] = d[index[i]];
            }
            return ofDoubles(type, newShape, r);
        }
        long[] r = new long[index.length];
        for (int i = 0; i < index.length; i++) {
            r[i] = l[index[i]];
        }
        return ofLongs(type, newShape, r);
    }

    Arr reshape(long[] newShape) {
        return new Arr(type, newShape, l, d);
    }

    /** This constant converted to {@code to}, with ONNX Cast semantics for the supported types. */
    Arr cast(DataType to) {
        int n = size();
        if (to == DataType.FLOAT || to == DataType.DOUBLE) {
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = to == DataType.FLOAT ? (float) real(i) : real(i);
            }
            return ofDoubles(to, shape, r);
        }
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            long v = d != null ? (long) d[i] : l[i];
            r[i] = switch (to) {
                case BOOL -> (d != null ? d[i] != 0 : l[i] != 0) ? 1 : 0;
                case INT32 -> (int) v;
                case INT8 -> (byte) v;
                case UINT8 -> v & 0xff;
                default -> v;
            };
        }
        return ofLongs(to, shape, r);
    }

    Tensor toTensor(String name) {
        int n = size();
        ByteBuffer b = ByteBuffer.allocate(n * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FLOAT -> b.putFloat((float) d[i]);
                case DOUBLE -> b.putDouble(d[i]);
                case INT64 -> b.putLong(l[i]);
                case INT32 -> b.putInt((int) l[i]);
                case INT8, UINT8, BOOL -> b.put((byte) l[i]);
                case FLOAT16 -> throw new IllegalStateException("float16 constants are not folded");
            }
        }
        b.flip();
        return new Tensor(name, type, shape, b);
    }

    static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape) + (l != null ? Arrays.toString(l) : Arrays.toString(d));
    }
}
