/**
 * Optimizers expressed as ONNX graphs: {@link org.peft4j.engine.optim.AdamWGraphBuilder} builds
 * {@code optimizer_model.onnx}, AdamW with decoupled weight decay, bias correction, parameter
 * groups and global gradient-norm clipping in standard ONNX operators.
 */
package org.peft4j.engine.optim;
