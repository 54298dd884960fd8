package org.peft4j.api.method;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor that an adapter adds to a model: a parameter that may train, or a frozen constant.
 *
 * <p>Contract: {@code name} is unique in the graph and stable across runs (checkpoints and exported
 * adapters use it); by convention it is {@code <module>.<role>}. {@code role} says what the tensor
 * is ({@code lora_A}, {@code lora_B}, {@code vera_lambda_d}, {@code vera_lambda_b}, {@code vera_A},
 * ...), so exporters can map it to other layouts. {@code module} is the adapted layer's module
 * name, or empty for a tensor shared by every layer. {@code trainable} says whether it trains at
 * step 0; {@code freezable} whether a freeze schedule may freeze it later (AFLoRA's projections).
 *
 * @param name graph value name
 * @param module adapted module, or empty when shared
 * @param role the tensor's role in its method
 * @param shape extents
 * @param trainable whether it trains from the first step
 * @param freezable whether a freeze schedule may freeze it
 */
public record AdapterParameter(String name, String module, String role, long[] shape, boolean trainable, boolean freezable) {

    public AdapterParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(role, "role");
        shape = Objects.requireNonNull(shape, "shape").clone();
        if (freezable && !trainable) {
            throw new IllegalArgumentException("parameter '" + name + "' cannot be freezable without being trainable");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdapterParameter p && name.equals(p.name) && module.equals(p.module) && role.equals(p.role)
                && Arrays.equals(shape, p.shape) && trainable == p.trainable && freezable == p.freezable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, module, role, Arrays.hashCode(shape), trainable, freezable);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (trainable ? (freezable ? " trainable, freezable" : " trainable") : " frozen");
    }
}
