/**
 * Pre-trained encoders as {@link org.peft4j.api.model.ModelProvider} extensions ({@code minilm-l6},
 * {@code bge-small-en-v1.5}, {@code onnx-file}, {@code tiny-bert}) and the module naming of their
 * linear layers ({@link org.peft4j.zoo.models.LinearLayers}).
 */
package org.peft4j.zoo.models;
