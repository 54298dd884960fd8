package org.peft4j.runner.bench;

/**
 * What one benchmark run measures and how long.
 *
 * <p>Contract (checked): {@code batchSize}, {@code sequenceLength}, {@code steps},
 * {@code evalSteps}, {@code threads} and {@code matMulSize} are positive; {@code warmup} is not
 * negative.
 *
 * @param batchSize examples per step
 * @param sequenceLength tokens per example
 * @param steps timed training steps per strategy (after warm-up)
 * @param warmup untimed training steps per strategy before timing
 * @param evalSteps timed evaluation runs per strategy (after one untimed)
 * @param threads ONNX Runtime intra-op threads, for the strategies and the MatMul alike
 * @param matMulSize {@code n} of the {@code n x n x n} float32 MatMul that measures the limit
 * @param seed seed of the adapters, the head and the random batches
 */
public record BenchSettings(int batchSize, int sequenceLength, int steps, int warmup, int evalSteps, int threads, int matMulSize,
        long seed) {

    public BenchSettings {
        positive("batch size", batchSize);
        positive("sequence length", sequenceLength);
        positive("steps", steps);
        positive("eval steps", evalSteps);
        positive("threads", threads);
        positive("MatMul size", matMulSize);
        if (warmup < 0) {
            throw new IllegalArgumentException("warm-up steps must not be negative, got " + warmup);
        }
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    /** The same settings at another batch size and sequence length. */
    public BenchSettings withShape(int newBatchSize, int newSequenceLength) {
        return new BenchSettings(newBatchSize, newSequenceLength, steps, warmup, evalSteps, threads, matMulSize, seed);
    }

    /** The same settings with other step counts. */
    public BenchSettings withSteps(int newSteps, int newWarmup, int newEvalSteps) {
        return new BenchSettings(batchSize, sequenceLength, newSteps, newWarmup, newEvalSteps, threads, matMulSize, seed);
    }
}
