/**
 * Task heads and their losses, built into an encoder {@link org.peft4j.api.graph.Graph} with the
 * plain graph API: {@link org.peft4j.zoo.heads.HeadSpec} adds pooling, a dense layer with tanh,
 * dropout (through the engine's {@link org.peft4j.zoo.heads.DropoutFactory}) and the classifier,
 * and optionally the masked softmax cross-entropy or squared-error loss.
 */
package org.peft4j.zoo.heads;
