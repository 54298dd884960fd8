package org.peft4j.engine.ort;

import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide ONNX Runtime environment and the session factory every peft4j session goes
 * through.
 *
 * <p>Contract: {@link #environment()} initialises the native library once, on a thread with a
 * 16 MiB stack (ONNX Runtime 1.29's initialisation overflowed the default 1 MiB main-thread stack
 * of a JVM started with a long {@code -cp} and crashed the JVM). {@link #openSession} creates
 * sessions with full graph optimisation, the configured intra-op threads and memory-pattern
 * planning off (it raised peak memory by a third for training graphs); for
 * {@link Device#CUDA} it adds the CUDA provider, and when that fails it either logs one line and
 * uses the CPU ({@link DeviceFallback#CPU}) or throws {@link IllegalStateException} saying why
 * ({@link DeviceFallback#FAIL}). The outcome of the first CUDA attempt is remembered, so the
 * fallback line appears once per process.
 */
public final class OrtRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(OrtRuntime.class);
    private static final AtomicReference<OrtEnvironment> ENV = new AtomicReference<>();
    private static volatile String cudaFailure;

    private OrtRuntime() {
    }

    /** The shared environment, initialised on first use. */
    public static OrtEnvironment environment() {
        OrtEnvironment env = ENV.get();
        if (env != null) {
            return env;
        }
        synchronized (ENV) {
            if (ENV.get() == null) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread t = new Thread(null, () -> {
                    try {
                        ENV.set(OrtEnvironment.getEnvironment());
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "onnxruntime-init", 16L << 20);
                t.start();
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while loading ONNX Runtime", e);
                }
                if (failure.get() != null) {
                    throw new IllegalStateException("ONNX Runtime could not be loaded: " + failure.get(), failure.get());
                }
            }
            return ENV.get();
        }
    }

    /**
     * The device sessions with {@code settings} actually use: {@link Device#CPU} after a failed
     * CUDA attempt with the CPU fallback; otherwise the requested one.
     */
    public static Device effectiveDevice(ExecutionSettings settings) {
        return settings.device() == Device.CUDA && cudaFailure != null ? Device.CPU : settings.device();
    }

    /**
     * Opens a session on the model file.
     *
     * @param model the {@code .onnx} file; its external data is resolved next to it
     * @param settings provider and threads
     * @param externalInitializers tensors that replace the model's external-data initializers of
     *     the same names (shared between sessions, never copied); must outlive the session
     * @throws OrtException when ONNX Runtime rejects the model
     * @throws IllegalStateException when CUDA is required but unavailable
     */
    public static OrtSession openSession(Path model, ExecutionSettings settings, Map<String, ? extends OnnxTensorLike> externalInitializers)
            throws OrtException {
        OrtEnvironment env = environment();
        if (settings.device() == Device.CUDA && cudaFailure == null) {
            OrtSession.SessionOptions options = baseOptions(settings, externalInitializers);
            try {
                options.addCUDA(settings.cudaDeviceId());
                return env.createSession(model.toString(), options);
            } catch (OrtException e) {
                String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
                if (settings.fallback() == DeviceFallback.FAIL) {
                    throw new IllegalStateException("device: cuda was requested with device-fallback: fail, but the CUDA provider "
                            + "could not be used (" + reason + "); build with -Pcuda on a machine with a GPU and CUDA libraries", e);
                }
                cudaFailure = reason;
                LOG.warn("CUDA unavailable ({}); training on the CPU instead (set device-fallback: fail to make this an error)", reason);
            } finally {
                options.close();
            }
        } else if (settings.device() == Device.CUDA && settings.fallback() == DeviceFallback.FAIL) {
            throw new IllegalStateException("device: cuda was requested with device-fallback: fail, but the CUDA provider could not be "
                    + "used earlier in this process (" + cudaFailure + ")");
        }
        OrtSession.SessionOptions options = baseOptions(settings, externalInitializers);
        try {
            return env.createSession(model.toString(), options);
        } finally {
            options.close();
        }
    }

    private static OrtSession.SessionOptions baseOptions(ExecutionSettings settings,
            Map<String, ? extends OnnxTensorLike> externalInitializers) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            // Memory-pattern planning pre-allocates one block sized for every intermediate of a run;
            // for training graphs, whose activations live until the backward pass, that block cost
            // ~0.7-0.8 GB more peak RSS (MiniLM, 16 x 128) than allocating from the arena on demand,
            // at no measurable step-time gain.
            options.setMemoryPatternOptimization(false);
            if (!externalInitializers.isEmpty()) {
                options.addExternalInitializers(new java.util.HashMap<String, OnnxTensorLike>(externalInitializers));
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
