/**
 * Tokenizers: {@link org.peft4j.zoo.tokenizer.HuggingFaceTextTokenizer} reads a model's
 * {@code tokenizer.json} with the Hugging Face tokenizers library (through DJL) and implements
 * {@link org.peft4j.api.model.TextTokenizer}.
 */
package org.peft4j.zoo.tokenizer;
