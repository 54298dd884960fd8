package org.peft4j.api.method;

import java.util.List;
import java.util.Set;
import org.peft4j.api.graph.LinearLayer;

/**
 * One method's adapter for one run: it chooses target layers, adds its parallel path to each, and
 * merges itself back into the base weights.
 *
 * <p>Contract, in call order:
 * <ol>
 *   <li>{@link #selectTargets} is called once with every linear layer of the model and returns the
 *       layers to adapt; it throws {@link org.peft4j.api.config.ConfigurationException} naming the
 *       targeting key when nothing matches.</li>
 *   <li>{@link #prepare} is called once with the chosen targets, before any rewrite (for state
 *       shared between layers, such as ELoRA's projections).</li>
 *   <li>{@link #rewrite} is called once per target. It adds nodes and parameters through the
 *       context only, reads the layer's input and adds its contribution with
 *       {@link org.peft4j.api.graph.Graph#addToValue}; it never changes the base weight.</li>
 *   <li>{@link #merge} folds the adapter into a base weight after training. For every input,
 *       {@code x · merge(W0)} equals the adapted layer's output before the bias, within float
 *       rounding.</li>
 * </ol>
 * The same adapter instance is used for one graph only.
 */
public interface Adapter {

    /**
     * The layers to adapt, a subset of {@code layers} in the same order.
     *
     * @param layers every linear layer of the model, in graph order; never empty
     */
    List<LinearLayer> selectTargets(List<LinearLayer> layers);

    /** Called once with the chosen targets before the first {@link #rewrite}. */
    default void prepare(List<LinearLayer> targets, AdapterContext context) {
    }

    /** Adds this adapter's path to one target layer. */
    void rewrite(LinearLayer layer, AdapterContext context);

    /**
     * The merged weight {@code W0 + ΔW} of a target layer, in the layer's {@code [in, out]}
     * layout.
     *
     * @param layer a layer that {@link #rewrite} adapted
     * @param baseWeight the frozen base weight, {@code in * out} values, row-major {@code [in, out]};
     *     not modified
     * @param values the trained values of every adapter parameter and shared constant
     * @return a new array of {@code in * out} values
     */
    float[] merge(LinearLayer layer, float[] baseWeight, ParameterValues values);

    /**
     * Names of frozen constants (never trainable parameters) that this adapter recreates exactly,
     * from its hyperparameters alone, every time it rewrites a graph, such as ELoRA's projections
     * regenerated from their seed. A checkpoint or exported adapter may omit them. Never null;
     * empty by default.
     */
    default Set<String> regeneratedConstants() {
        return Set.of();
    }
}
