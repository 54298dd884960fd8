package org.peft4j.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peft4j.api.Identified;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.runner.ModelLoading;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.plugins.Discovered;
import org.peft4j.runner.plugins.ExtensionPoints;
import org.peft4j.zoo.models.LinearLayers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code peft4j model}: inspect the encoders that model providers supply.
 *
 * <p>{@code peft4j model info <id>} loads the model through its provider, offline, and prints its
 * linear layers (module name, {@code in x out}) in graph order, then the exact parameter count of
 * the encoder (every floating-point initializer of rank 1 or more, see
 * {@link LinearLayers#parameterCount}). Model files are extracted to the cache directory
 * ({@code --cache-dir}, else {@link org.peft4j.runner.ModelLoading#modelCache()}).
 */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Inspect pre-trained encoders.",
        subcommands = {ModelCommand.Info.class})
final class ModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The default cache directory for extracted model files. */

    /** {@code peft4j model info <id>}. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Load a model and list its linear layers (module name, in x out) and its parameter count.")
    static final class Info implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "MODEL", description = "The model id, such as minilm-l6.")
        String id;

        @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
                description = "A hyperparameter of the model provider (repeatable), such as path=my.onnx for onnx-file.")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where model files are extracted (default: ${DEFAULT-VALUE}).")
        Path cacheDir = ModelLoading.modelCache();

        @Mixin
        PluginOptions plugins;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Peft4jRuntime runtime = Peft4jRuntime.start(plugins.directories(), spec.commandLine().getErr())) {
                Discovered<? extends Identified> found = runtime.catalog().find(ExtensionPoints.MODEL, id).orElse(null);
                EncoderModel model = ModelLoading.load(runtime.catalog(), id, new LinkedHashMap<>(params), "", cacheDir);
                print(out, model, found);
            }
            return ExitCodes.OK;
        }

        private static void print(PrintWriter out, EncoderModel model, Discovered<? extends Identified> origin) {
            Graph graph = model.graph();
            List<LinearLayer> layers = model.linearLayers(graph);
            out.printf("%s (%s, from %s)%n", model.id(), model.huggingFaceName(), origin.origin());
            out.printf("hidden size %d, output %s, inputs %s%n", model.hiddenSize(), model.outputName(),
                    graph.inputs().stream().map(v -> v.name()).toList());
            out.printf("%d linear layers:%n", layers.size());
            int width = layers.stream().mapToInt(l -> l.module().length()).max().orElse(10);
            long linearWeights = 0;
            for (LinearLayer l : layers) {
                out.printf("  %-" + width + "s  %5d x %-5d%n", l.module(), l.in(), l.out());
                linearWeights += l.weightCount() + (l.bias() == null ? 0 : l.out());
            }
            long total = 0;
            int tensors = 0;
            for (Tensor t : graph.initializers().values()) {
                if (LinearLayers.isParameter(t)) {
                    total += t.elementCount();
                    tensors++;
                }
            }
            out.printf(Locale.ROOT, "parameters: %,d (%.1fM) in %d tensors, of which %,d in the linear layers (weights and biases)%n",
                    total, total / 1e6, tensors, linearWeights);
        }
    }
}
