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
        if (n < 1 || runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("MatMul size and runs must be positive and warm-up not negative; got " + n + ", "
                    + runs + ", " + warmup);
        }
        Graph g = new Graph("matmul_limit", OnnxModelIO.OPSET);
        long[] shape = {n, n};
        g.addInput(new ValueInfo("a", DataType.FLOAT, shape));
        g.addInput(new ValueInfo("b", DataType.FLOAT, shape));
        String y = g.matMul("a", "b");
        g.addOutput(new ValueInfo(y, DataType.FLOAT, shape));
        Path file = workDirectory.resolve("matmul_limit.onnx");
        new OnnxModelIO().write(g, file);
        Random random = new Random(11);
        try (OnnxTensor a = OnnxTensor.createTensor(OrtRuntime.environment(), randomBuffer(n * n, random), shape);
                OnnxTensor b = OnnxTensor.createTensor(OrtRuntime.environment(), randomBuffer(n * n, random), shape);
                OrtSession session = OrtRuntime.openSession(file, settings, Map.of())) {
            Map<String, OnnxTensor> inputs = Map.of("a", a, "b", b);
            double[] millis = new double[runs];
            for (int i = 0; i < warmup + runs; i++) {
                long t0 = System.nanoTime();
                try (OrtSession.Result ignored = session.run(inputs)) {
                    long t1 = System.nanoTime();
                    if (i >= warmup) {
                        millis[i - warmup] = (t1 - t0) / 1e6;
                    }
                }
            }
            StepStats stats = StepStats.of(millis);
            return new MatMulLimit(n, stats, 2.0 * n * n * (double) n / (stats.median() * 1e6));
        } finally {
            Files.deleteIfExists(file);
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
