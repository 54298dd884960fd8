package org.peft4j.api.training;

import java.util.Objects;

/**
 * The value and raw gradient of one trainable tensor at one optimizer step.
 *
 * <p>Contract: both arrays are row-major, of the same length, and owned by the engine: they are
 * valid only during the callback that receives them and must not be modified or kept (copy what
 * must outlive the call). The gradient is the raw one of this step, before clipping; the value is
 * the one the step's forward pass used, before the update.
 *
 * @param name the parameter's graph name
 * @param values the values
 * @param gradient the gradient of the loss
 */
public record ParameterState(String name, float[] values, float[] gradient) {

    public ParameterState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(gradient, "gradient");
        if (values.length != gradient.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values but " + gradient.length + " gradients");
        }
    }
}
