package org.peft4j.engine.adapters;

import java.util.List;
import java.util.Objects;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.PeftMethod;

/**
 * Installs one PEFT method into a model graph, calling its adapter in the order the
 * {@link Adapter} contract gives.
 */
public final class AdapterInstaller {

    private AdapterInstaller() {
    }

    /**
     * What an installation produced.
     *
     * @param adapter the configured adapter (it merges itself later)
     * @param targets the adapted layers
     * @param parameters every tensor it registered, in order
     * @param context the context, for initial values
     */
    public record Installed(Adapter adapter, List<LinearLayer> targets, List<AdapterParameter> parameters, GraphAdapterContext context) {
    }

    /**
     * Configures {@code method} with {@code params} and rewrites {@code graph}.
     *
     * @param graph the model graph; modified in place
     * @param layers every linear layer of {@code graph}
     * @param method the PEFT method
     * @param params its validated hyperparameters
     * @param seed the run's seed
     * @throws org.peft4j.api.config.ConfigurationException for a bad hyperparameter or a target
     *     pattern that matches nothing
     */
    public static Installed install(Graph graph, List<LinearLayer> layers, PeftMethod method, HyperParameters params, long seed) {
        Objects.requireNonNull(graph, "graph");
        Adapter adapter = Objects.requireNonNull(method.configure(params), "method '" + method.id() + "' returned no adapter");
        GraphAdapterContext context = new GraphAdapterContext(graph, seed);
        List<LinearLayer> targets = List.copyOf(adapter.selectTargets(List.copyOf(layers)));
        for (LinearLayer t : targets) {
            if (!layers.contains(t)) {
                throw new IllegalStateException("method '" + method.id() + "' selected layer " + t.module() + ", which is not a layer of the model");
            }
        }
        adapter.prepare(targets, context);
        for (LinearLayer layer : targets) {
            adapter.rewrite(layer, context);
        }
        return new Installed(adapter, targets, context.parameters(), context);
    }
}
