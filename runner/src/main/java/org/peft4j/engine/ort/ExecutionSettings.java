package org.peft4j.engine.ort;

import java.util.Objects;

/**
 * How ONNX Runtime sessions are created.
 *
 * <p>Contract: {@code intraOpThreads >= 1}; {@link #defaults()} uses every available core, the CPU
 * and the CPU fallback.
 *
 * @param device the requested provider
 * @param fallback what to do when CUDA is unavailable
 * @param intraOpThreads threads ONNX Runtime uses inside one operator
 * @param cudaDeviceId the GPU index for CUDA
 */
public record ExecutionSettings(Device device, DeviceFallback fallback, int intraOpThreads, int cudaDeviceId) {

    public ExecutionSettings {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(fallback, "fallback");
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be >= 1, got " + intraOpThreads);
        }
        if (cudaDeviceId < 0) {
            throw new IllegalArgumentException("CUDA device id must be >= 0, got " + cudaDeviceId);
        }
    }

    /** CPU, every available core. */
    public static ExecutionSettings defaults() {
        return new ExecutionSettings(Device.CPU, DeviceFallback.CPU, Runtime.getRuntime().availableProcessors(), 0);
    }

    /** The same settings on another device. */
    public ExecutionSettings withDevice(Device newDevice, DeviceFallback newFallback) {
        return new ExecutionSettings(newDevice, newFallback, intraOpThreads, cudaDeviceId);
    }
}
