/**
 * The artifact compiler: turns a model graph with adapters and a head into ONNX Runtime training
 * artifacts ({@code training_model.onnx}, {@code eval_model.onnx}, {@code optimizer_model.onnx},
 * {@code checkpoint.safetensors}, {@code artifacts.json}) for one trainable set, shares the frozen
 * base weights between them as external data, caches them by trainable set, and counts their
 * analytic FLOPs. The file names and the input and output names are a documented contract (see
 * {@code docs/training.md}).
 */
package org.peft4j.engine.artifacts;
