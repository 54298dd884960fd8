package org.peft4j.api.graph;

import java.util.Objects;

/**
 * A linear layer of an encoder graph, {@code y = x W + bias}, found by following a MatMul with a
 * constant weight into the Add of its named bias.
 *
 * <p>Contract: {@code module} is the name PyTorch users know (for example
 * {@code encoder.layer.3.attention.self.query}); {@code weight} names a float initializer of shape
 * {@code [in, out]} (the ONNX export layout, the transpose of PyTorch's {@code [out, in]});
 * {@code input} is the value of shape {@code [..., in]} fed to the MatMul; {@code matMulOutput} is
 * the MatMul's output, {@code x W}, before the bias; {@code bias} may be null for layers without
 * one. Adapters add their contribution to {@code matMulOutput} with
 * {@link Graph#addToValue(String, String)}.
 *
 * @param module the PyTorch-style module name
 * @param input the layer input value
 * @param weight the weight initializer, {@code [in, out]}
 * @param bias the bias initializer, or null
 * @param matMulOutput the MatMul output value
 * @param in the input width
 * @param out the output width
 */
public record LinearLayer(String module, String input, String weight, String bias, String matMulOutput, int in, int out) {

    public LinearLayer {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(matMulOutput, "matMulOutput");
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("layer " + module + " has non-positive widths " + in + "x" + out);
        }
    }

    /** The number of weights, {@code in * out}. */
    public long weightCount() {
        return (long) in * out;
    }

    /**
     * Checks that {@code weight} holds this layer's {@code in * out} weights, as a merge receives
     * them.
     *
     * @throws IllegalArgumentException naming the module when it does not
     */
    public void checkWeight(float[] weight) {
        if (weight.length != weightCount()) {
            throw new IllegalArgumentException("base weight of " + module + " has " + weight.length + " values, expected " + in + " x " + out);
        }
    }
}
