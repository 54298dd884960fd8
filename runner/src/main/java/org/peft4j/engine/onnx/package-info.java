/**
 * ONNX model files: reading them into {@link org.peft4j.api.graph.Graph}s (including external
 * data and {@code Constant} nodes), writing graphs back (optionally with external data, or to bytes
 * for in-memory ONNX Runtime sessions), and upgrading imported graphs to the opset peft4j emits.
 */
package org.peft4j.engine.onnx;
