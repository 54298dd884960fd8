package org.peft4j.engine.ort;

import java.util.Locale;

/** Where ONNX Runtime executes: the CPU provider or the CUDA provider. */
public enum Device {
    /** ONNX Runtime's default CPU provider. */
    CPU,
    /** The CUDA provider; needs the {@code cuda} Maven profile (onnxruntime_gpu) and a GPU. */
    CUDA;

    /**
     * Parses a config value ({@code cpu} or {@code cuda}, any case).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Device parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device '" + value + "' is not one of cpu, cuda");
        }
    }
}
