package org.peft4j.zoo.heads;

import java.util.List;
import java.util.Objects;

/**
 * What {@link HeadSpec} added to a graph.
 *
 * <p>Contract: {@code logits} names a float value of shape {@code [B, numLabels]} ({@code [B, 1]}
 * for regression); {@code loss} names a float scalar, or is null when no loss was asked for;
 * {@code labelInputs} lists the graph inputs the loss added ({@value HeadSpec#LABELS} then
 * {@value HeadSpec#EXAMPLE_WEIGHT}), empty without a loss; {@code parameters} lists the head's
 * tensors in creation order, each also an initializer of the graph holding its initial value.
 *
 * @param logits the logits value
 * @param loss the scalar loss value, or null
 * @param labelInputs graph inputs the loss reads
 * @param parameters the head's trainable tensors
 */
public record Head(String logits, String loss, List<String> labelInputs, List<HeadParameter> parameters) {

    public Head {
        Objects.requireNonNull(logits, "logits");
        labelInputs = List.copyOf(labelInputs);
        parameters = List.copyOf(parameters);
    }

    /** The parameter names, in creation order. */
    public List<String> parameterNames() {
        return parameters.stream().map(HeadParameter::name).toList();
    }

    /** The number of scalars in the head's tensors, reported apart from adapter parameters. */
    public long parameterCount() {
        return parameters.stream().mapToLong(HeadParameter::elementCount).sum();
    }
}
