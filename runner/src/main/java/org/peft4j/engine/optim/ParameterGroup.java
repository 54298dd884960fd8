package org.peft4j.engine.optim;

import java.util.Objects;

/**
 * A set of parameters that share a learning rate and a weight decay, as in PyTorch's optimizer
 * parameter groups (peft4j uses one for the adapters and one for the classifier head).
 *
 * <p>Contract: {@code learningRate} is the peak rate before the schedule scales it; both values
 * are finite and non-negative.
 *
 * @param name the group's name, such as {@code adapter} or {@code head}
 * @param learningRate the peak learning rate
 * @param weightDecay the decoupled weight decay coefficient
 */
public record ParameterGroup(String name, double learningRate, double weightDecay) {

    public ParameterGroup {
        Objects.requireNonNull(name, "name");
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("group '" + name + "': learning rate must be finite and >= 0, got " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("group '" + name + "': weight decay must be finite and >= 0, got " + weightDecay);
        }
    }
}
