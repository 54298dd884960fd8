/**
 * Reverse-mode automatic differentiation of peft4j graphs in standard ONNX operators
 * ({@link org.peft4j.engine.autodiff.GradientBuilder}) and the loss functions training graphs use
 * ({@link org.peft4j.engine.autodiff.Losses}).
 */
package org.peft4j.engine.autodiff;
