/**
 * peft4j's model zoo: pre-trained encoders ({@link org.peft4j.zoo.models}), their tokenizers
 * ({@link org.peft4j.zoo.tokenizer}), task heads and losses ({@link org.peft4j.zoo.heads}), labelled
 * datasets ({@link org.peft4j.zoo.data}) and evaluation metrics ({@link org.peft4j.zoo.metrics}).
 * Providers are PF4J extensions found on the runner's classpath as system extensions.
 */
package org.peft4j.zoo;
