package org.peft4j.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.peft4j.api.graph.Graph;
import org.peft4j.runner.ModelLoading;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.export.ExtensionLookup;
import org.peft4j.runner.export.HfAdapterFormat;
import org.peft4j.runner.export.MergeCheck;
import org.peft4j.runner.export.MergedModelExporter;
import org.peft4j.runner.export.RunExports;
import org.peft4j.runner.export.TrainedState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code peft4j export}: a finished run's trained adapter as Hugging Face PEFT adapter files
 * ({@code export adapter}) or as one merged ONNX inference model ({@code export onnx}). The run is
 * a run directory of a comparison, {@code <comparison>/runs/<strategy>/<dataset>/seed-<n>}; the
 * default output is its {@code export/adapter} or {@code export/onnx} sub-directory.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a trained run: Hugging Face PEFT adapter files, or a merged ONNX model.",
        subcommands = {ExportCommand.Adapter.class, ExportCommand.Onnx.class})
final class ExportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static ExtensionLookup lookup(Peft4jRuntime runtime) {
        return ExtensionLookup.of(runtime, ModelLoading.modelCache());
    }

    /** {@code peft4j export adapter RUN_DIR}. */
    @Command(name = "adapter", mixinStandardHelpOptions = true,
            description = "Write adapter_model.safetensors and adapter_config.json in the Hugging Face PEFT layout (plus peft4j_adapter.json).")
    static final class Adapter implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A finished run's directory (holding trained/).")
        Path run;

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output directory (default: RUN_DIR/export/adapter).")
        Path output;

        @Option(names = "--module-prefix", paramLabel = "PREFIX",
                description = "Put before module names in tensor names and target_modules (default: ${DEFAULT-VALUE}, where "
                        + "AutoModelForSequenceClassification nests a BERT encoder; use \"\" for a bare encoder).")
        String prefix = HfAdapterFormat.DEFAULT_PREFIX;

        @Mixin
        PluginOptions plugins;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = output != null ? output : run.resolve("export").resolve("adapter");
            try (Peft4jRuntime runtime = Peft4jRuntime.start(plugins.directories(), spec.commandLine().getErr())) {
                TrainedState state = RunExports.adapter(run, lookup(runtime), prefix, dir);
                out.printf("exported %s (%s, %d adapter tensors, %d head tensors) to %s%n", state.description().runId(),
                        HfAdapterFormat.peftType(state.description().provenance().method()), state.description().adapterParameters().size(),
                        state.description().headParameters().size(), dir);
            }
            return ExitCodes.OK;
        }
    }

    /** {@code peft4j export onnx RUN_DIR}. */
    @Command(name = "onnx", mixinStandardHelpOptions = true,
            description = "Fold the adapter into the base weights and write one ONNX inference model (model.onnx, tokenizer.json, labels.json).")
    static final class Onnx implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A finished run's directory (holding trained/).")
        Path run;

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output directory (default: RUN_DIR/export/onnx).")
        Path output;

        @Option(names = "--no-verify",
                description = "Skip the check that scores probe sentences with the merged model and the unmerged run and fails when a "
                        + "logit differs by more than 1e-4.")
        boolean skipVerify;

        @Mixin
        PluginOptions plugins;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = output != null ? output : run.resolve("export").resolve("onnx");
            try (Peft4jRuntime runtime = Peft4jRuntime.start(plugins.directories(), spec.commandLine().getErr())) {
                ExtensionLookup lookup = lookup(runtime);
                Graph merged = RunExports.onnx(run, lookup, dir);
                out.printf("exported the merged model (%d nodes, inputs %s, output logits) to %s%n", merged.nodes().size(),
                        merged.inputs().stream().map(v -> v.name()).toList(), dir.resolve(MergedModelExporter.MODEL));
                if (!skipVerify) {
                    double diff = MergeCheck.maxDifference(TrainedState.read(run), dir, lookup);
                    if (!(diff <= MergeCheck.TOLERANCE)) {
                        spec.commandLine().getErr().printf(java.util.Locale.ROOT,
                                "error: the merged model's logits differ from the run's by %.3g on the probe sentences (more than %.0e)%n", diff,
                                MergeCheck.TOLERANCE);
                        return ExitCodes.RUN_FAILURE;
                    }
                    out.printf(java.util.Locale.ROOT, "verified: max |logit difference| to the unmerged run %.2e on %d probe sentences%n", diff,
                            MergeCheck.PROBES.size());
                }
            }
            return ExitCodes.OK;
        }
    }
}
