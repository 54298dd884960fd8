package org.peft4j.engine.ort;

import java.util.Locale;

/** What happens when CUDA was asked for but cannot be used. */
public enum DeviceFallback {
    /** Log one line and run on the CPU. */
    CPU,
    /** Fail with a clear error. */
    FAIL;

    /**
     * Parses a config value ({@code cpu} or {@code fail}, any case).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static DeviceFallback parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device-fallback '" + value + "' is not one of cpu, fail");
        }
    }
}
