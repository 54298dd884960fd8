package org.peft4j.engine.artifacts;

import java.util.Map;
import java.util.Set;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.shape.ShapeInference;

/**
 * Counts the analytic floating-point operations of one run of a graph with static shapes.
 *
 * <p>Rules (one multiply-add counts as two operations):
 * <ul>
 *   <li>{@code MatMul} and {@code FusedMatMul}: {@code 2 * elements(output) * K}, with {@code K}
 *       the contracted extent; {@code Gemm}: {@code 2 * M * N * K}, plus {@code M * N} with a bias.</li>
 *   <li>Element-wise arithmetic and activations ({@code Add}, {@code Mul}, {@code Erf}, ...): one per
 *       output element; {@code Sum} of {@code n} inputs: {@code n - 1} per output element.</li>
 *   <li>Reductions: one per input element. {@code Softmax} and {@code LogSoftmax}: five per
 *       element; {@code SoftmaxCrossEntropyLoss}: five per logit; {@code LayerNormalization}: eight
 *       per element.</li>
 *   <li>Data movement ({@code Gather}, {@code Reshape}, {@code Transpose}, {@code Concat},
 *       {@code Cast}, {@code Identity}, ...): zero.</li>
 * </ul>
 * Contract: the graph must be topologically sorted and its shapes static; an unknown operator
 * counts zero (data movement), so the count is a lower bound for exotic graphs.
 */
public final class FlopCounter {

    private static final Set<String> ELEMENTWISE = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Erf", "Tanh", "Relu", "Exp",
            "Log", "Neg", "Sigmoid", "Where", "Max", "Min", "Abs", "Reciprocal", "Gelu", "Sign", "Clip", "Mean", "Dropout",
            "Not", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Softplus", "LeakyRelu", "Elu", "HardSigmoid");
    private static final Set<String> REDUCTIONS = Set.of("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
            "ReduceSumSquare", "ReduceL2", "ReduceL1", "ReduceLogSumExp");

    private FlopCounter() {
    }

    /** The operations of one run of {@code graph}. */
    public static long count(Graph graph) {
        Map<String, ValueInfo> infos = ShapeInference.infer(graph);
        long total = 0;
        for (Node n : graph.nodes()) {
            total += count(n, infos);
        }
        return total;
    }

    static long count(Node n, Map<String, ValueInfo> infos) {
        String op = n.opType();
        ValueInfo out = infos.get(n.output(0));
        long outElems = out == null ? 0 : Math.max(0, out.elementCount());
        switch (op) {
            case "MatMul", "FusedMatMul" -> {
                ValueInfo a = infos.get(n.input(0));
                if (a == null || a.rank() == 0) {
                    return 0;
                }
                long k = a.dim(-1);
                if ("FusedMatMul".equals(op) && n.intAttr("transA", 0) == 1 && a.rank() >= 2) {
                    k = a.dim(-2);
                }
                return 2 * outElems * k;
            }
            case "Gemm" -> {
                ValueInfo a = infos.get(n.input(0));
                if (a == null || a.rank() != 2) {
                    return 0;
                }
                long k = n.intAttr("transA", 0) == 1 ? a.dim(0) : a.dim(1);
                return 2 * outElems * k + (n.input(2).isEmpty() ? 0 : outElems);
            }
            case "Sum" -> {
                return outElems * Math.max(0, n.inputs().size() - 1);
            }
            case "Softmax", "LogSoftmax" -> {
                return 5 * outElems;
            }
            case "SoftmaxCrossEntropyLoss" -> {
                ValueInfo logits = infos.get(n.input(0));
                return logits == null ? 0 : 5 * logits.elementCount();
            }
            case "LayerNormalization" -> {
                return 8 * outElems;
            }
            default -> {
                if (REDUCTIONS.contains(op)) {
                    ValueInfo in = infos.get(n.input(0));
                    return in == null ? 0 : in.elementCount();
                }
                return ELEMENTWISE.contains(op) ? outElems : 0;
            }
        }
    }
}
