/**
 * Adapters that leave peft4j: a finished run's trained state exported as Hugging Face PEFT adapter
 * files ({@link org.peft4j.runner.export.HfAdapterFormat}), folded into one merged ONNX inference
 * model ({@link org.peft4j.runner.export.MergedModelExporter}), and read back for prediction
 * ({@link org.peft4j.runner.export.Predictor}).
 */
package org.peft4j.runner.export;
