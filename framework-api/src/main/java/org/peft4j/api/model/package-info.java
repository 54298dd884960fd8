/**
 * Pre-trained models: the {@link org.peft4j.api.model.ModelProvider} extension point, the
 * {@link org.peft4j.api.model.EncoderModel} it loads, and its
 * {@link org.peft4j.api.model.TextTokenizer}.
 */
package org.peft4j.api.model;
