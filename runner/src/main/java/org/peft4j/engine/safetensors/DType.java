package org.peft4j.engine.safetensors;

/**
 * The element types peft4j stores in safetensors files.
 *
 * <p>Contract: {@link #code()} is the dtype string of the safetensors header; {@link #byteSize()}
 * the size of one element.
 */
public enum DType {
    /** 32-bit IEEE float, little-endian. */
    F32("F32", 4),
    /** 64-bit signed integer, little-endian. */
    I64("I64", 8);

    private final String code;
    private final int byteSize;

    DType(String code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /** The header spelling, such as {@code F32}. */
    public String code() {
        return code;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The type spelled {@code code}, or null when peft4j does not support it. */
    static DType fromCode(String code) {
        for (DType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        return null;
    }
}
