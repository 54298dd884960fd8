package org.peft4j.api.graph;

/**
 * Element types of graph values, with their ONNX {@code TensorProto.DataType} codes.
 *
 * <p>Contract: {@link #onnxCode()} is the code ONNX uses on disk; {@link #byteSize()} is the
 * size of one element in bytes.
 */
public enum DataType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    INT32(6, 4),
    INT64(7, 8),
    BOOL(9, 1),
    FLOAT16(10, 2),
    DOUBLE(11, 8);

    private final int onnxCode;
    private final int byteSize;

    DataType(int onnxCode, int byteSize) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
    }

    /** The ONNX {@code TensorProto.DataType} code. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether values of this type are real numbers that can carry gradients. */
    public boolean isFloatingPoint() {
        return this == FLOAT || this == DOUBLE || this == FLOAT16;
    }

    /**
     * The type with ONNX code {@code code}.
     *
     * @throws IllegalArgumentException when peft4j does not support the code
     */
    public static DataType fromOnnxCode(int code) {
        for (DataType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported ONNX tensor data type " + code);
    }
}
