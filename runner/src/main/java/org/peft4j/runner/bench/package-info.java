/**
 * {@code peft4j bench}: training and evaluation step times, FLOPs, achieved GFLOP/s and peak
 * memory of PEFT strategies on one model, measured in one process next to ONNX Runtime's
 * large-MatMul throughput, with ratios against the head-only baseline and ELoRA.
 *
 * <p>{@link org.peft4j.runner.bench.Bench} drives the engine's own artifact compiler and sessions
 * with random batches, so no dataset is needed; {@link org.peft4j.runner.bench.BenchReport} holds
 * the figures and renders them as a table and as JSON.
 */
package org.peft4j.runner.bench;
