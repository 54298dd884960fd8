package org.peft4j.zoo.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;

/**
 * Finds the linear layers of an encoder graph exported from Hugging Face Transformers and gives
 * each the module name a PyTorch user knows.
 *
 * <p>The exports store a linear layer {@code y = x W^T + b} as {@code MatMul(x, W')} with an
 * anonymous float initializer {@code W'} of shape {@code [in, out]} (such as
 * {@code onnx::MatMul_787}), whose output feeds {@code Add} with a named bias initializer
 * {@code <module>.bias} (such as {@code encoder.layer.0.attention.self.query.bias}). The module
 * name is the bias name without {@code .bias}.
 *
 * <p>Contract of {@link #find}: every {@code MatMul} node whose second input is a 2-D float
 * initializer is a linear layer, in graph order; {@code MatMul}s of two computed values (the
 * attention scores and context) are skipped. A constant-weight {@code MatMul} whose output feeds
 * no {@code Add} with a {@code *.bias} initializer is an {@link IllegalArgumentException} naming
 * the node and the weight, as is a module name found twice. The graph is not modified.
 */
public final class LinearLayers {

    private static final String BIAS_SUFFIX = ".bias";

    private LinearLayers() {
    }

    /** The linear layers of {@code graph}, in graph order. */
    public static List<LinearLayer> find(Graph graph) {
        List<LinearLayer> layers = new ArrayList<>();
        java.util.Set<String> modules = new java.util.HashSet<>();
        for (Node n : graph.nodes()) {
            if (!n.opType().equals("MatMul") || !n.domain().isEmpty()) {
                continue;
            }
            Tensor w = graph.initializer(n.input(1));
            if (w == null || w.type() != DataType.FLOAT || w.shape().length != 2) {
                continue;
            }
            String matMulOut = n.output(0);
            String bias = null;
            for (Node consumer : graph.consumers(matMulOut)) {
                if (!consumer.opType().equals("Add")) {
                    continue;
                }
                String other = consumer.input(0).equals(matMulOut) ? consumer.input(1) : consumer.input(0);
                if (other.endsWith(BIAS_SUFFIX) && graph.initializer(other) != null) {
                    bias = other;
                    break;
                }
            }
            if (bias == null) {
                throw new IllegalArgumentException("graph '" + graph.name() + "': MatMul node '" + n.name() + "' has the constant weight '"
                        + w.name() + "' " + Arrays.toString(w.shape()) + " but its output '" + matMulOut
                        + "' feeds no Add with a named '<module>.bias' initializer, so the layer has no module name;"
                        + " expected the Hugging Face export pattern MatMul(x, W) -> Add(., <module>.bias)");
            }
            String module = bias.substring(0, bias.length() - BIAS_SUFFIX.length());
            if (!modules.add(module)) {
                throw new IllegalArgumentException("graph '" + graph.name() + "': module '" + module + "' is found twice (MatMul node '"
                        + n.name() + "')");
            }
            long[] shape = w.shape();
            layers.add(new LinearLayer(module, n.input(0), w.name(), bias, matMulOut, Math.toIntExact(shape[0]),
                    Math.toIntExact(shape[1])));
        }
        return layers;
    }

    /**
     * The number of model parameters in {@code graph}: the elements of every floating-point
     * initializer of rank 1 or more. Rank-0 floats are the exporter's scalar constants (the
     * attention scale, LayerNorm's epsilon, ...), which the ONNX reader turns into initializers;
     * PyTorch parameters always have at least one axis.
     */
    public static long parameterCount(Graph graph) {
        long n = 0;
        for (Tensor t : graph.initializers().values()) {
            if (isParameter(t)) {
                n += t.elementCount();
            }
        }
        return n;
    }

    /** Whether {@code t} counts as a model parameter (see {@link #parameterCount}). */
    public static boolean isParameter(Tensor t) {
        return t.type().isFloatingPoint() && t.shape().length > 0;
    }
}
