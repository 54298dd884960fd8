/**
 * Execution on ONNX Runtime: the shared environment, session options for the CPU and CUDA
 * providers with their fallback policy, and {@link org.peft4j.engine.ort.ArtifactSession}, which
 * runs compiled training artifacts (train step, optimizer step, evaluation) through buffers
 * allocated once.
 *
 * <p>peft4j never uses ONNX Runtime's {@code OrtTrainingSession}: the Java build on Maven Central
 * has no training support. Training runs in ordinary inference sessions over peft4j's own
 * artifacts.
 */
package org.peft4j.engine.ort;
