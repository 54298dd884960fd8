package org.peft4j.runner.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.ort.ExecutionSettings;
import org.peft4j.engine.ort.OrtRuntime;

/**
 * The machine's practical compute limit: the throughput of ONNX Runtime on one large float32
 * {@code [n, n] x [n, n]} MatMul, opened with exactly the session options the engine uses
 * ({@link OrtRuntime#openSession}), inputs in direct buffers allocated once.
 *
 * @param size {@code n}
 * @param times run times in milliseconds
 * @param gflopsPerSecond {@code 2 n^3} operations per median run, in GFLOP/s
 */
public record MatMulLimit(int size, StepStats times, double gflopsPerSecond) {

    /**
     * Measures the limit.
     *
     * @param n the matrix size
     * @param settings provider and threads, as the strategies use
     * @param warmup untimed runs
     * @param runs timed runs
     * @param workDirectory where the one-node model is written
     * @throws IOException when the model cannot be written
     * @throws OrtException when ONNX Runtime fails
     */
    public static MatMulLimit measure(int n, ExecutionSettings settings, int warmup, int runs, Path workDirectory)
            throws IOException, OrtException {
        if (runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("MatMul runs must be positive and warm-up not negative; got " + runs + ", " + warmup);
        }
        try (Runner runner = new Runner(n, settings, workDirectory)) {
            for (int i = 0; i < warmup; i++) {
                runner.runMillis();
            }
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                millis[i] = runner.runMillis();
            }
            return of(n, millis);
        }
    }

    /** The limit from timed runs of the {@code n x n x n} MatMul. */
    public static MatMulLimit of(int n, double[] millis) {
        StepStats stats = StepStats.of(millis);
        return new MatMulLimit(n, stats, 2.0 * n * n * (double) n / (stats.median() * 1e6));
    }

    /**
     * An open MatMul session whose runs can be timed one at a time, so that they can be
     * interleaved with other work and see the same machine load.
     */
    public static final class Runner implements AutoCloseable {
        private final OnnxTensor a;
        private final OnnxTensor b;
        private final OrtSession session;
        private final Map<String, OnnxTensor> inputs;

        /**
         * Opens the session.
         *
         * @param n the matrix size, positive
         * @param settings provider and threads
         * @param workDirectory where the one-node model is written (and removed again)
         */
        public Runner(int n, ExecutionSettings settings, Path workDirectory) throws IOException, OrtException {
            if (n < 1) {
                throw new IllegalArgumentException("MatMul size must be positive, got " + n);
            }
            Graph g = new Graph("matmul_limit", OnnxModelIO.OPSET);
            long[] shape = {n, n};
            g.addInput(new ValueInfo("a", DataType.FLOAT, shape));
            g.addInput(new ValueInfo("b", DataType.FLOAT, shape));
            String y = g.matMul("a", "b");
            g.addOutput(new ValueInfo(y, DataType.FLOAT, shape));
            Path file = Files.createTempFile(workDirectory, "matmul_limit", ".onnx");
            Random random = new Random(11);
            OnnxTensor ta = null;
            OnnxTensor tb = null;
            try {
                new OnnxModelIO().write(g, file);
                ta = OnnxTensor.createTensor(OrtRuntime.environment(), randomBuffer(n * n, random), shape);
                tb = OnnxTensor.createTensor(OrtRuntime.environment(), randomBuffer(n * n, random), shape);
                session = OrtRuntime.openSession(file, settings, Map.of());
            } catch (IOException | OrtException | RuntimeException e) {
                if (ta != null) {
                    ta.close();
                }
                if (tb != null) {
                    tb.close();
                }
                throw e;
            } finally {
                Files.deleteIfExists(file);
            }
            a = ta;
            b = tb;
            inputs = Map.of("a", a, "b", b);
        }

        /** Runs the MatMul once; returns its wall time in milliseconds. */
        public double runMillis() throws OrtException {
            long t0 = System.nanoTime();
            try (OrtSession.Result ignored = session.run(inputs)) {
                return (System.nanoTime() - t0) / 1e6;
            }
        }

        @Override
        public void close() throws OrtException {
            try {
                session.close();
            } finally {
                a.close();
                b.close();
            }
        }
    }

    private static FloatBuffer randomBuffer(int count, Random random) {
        FloatBuffer fb = ByteBuffer.allocateDirect(4 * count).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < count; i++) {
            fb.put(i, (float) random.nextGaussian());
        }
        return fb;
    }
}
