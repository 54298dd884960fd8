package org.peft4j.runner.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peft4j.api.data.Dataset;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.export.HfAdapterFormat;
import org.peft4j.runner.export.Predictions;
import org.peft4j.runner.export.Predictor;
import org.peft4j.runner.export.TrainedState;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code peft4j predict}: classify sentences with a merged model ({@code --model}, a directory
 * written by {@code peft4j export onnx}), a finished run ({@code --run}) or an exported adapter on
 * its base model ({@code --adapter}, a directory written by {@code peft4j export adapter}).
 *
 * <p>Texts come from the arguments, else from {@code --file}, else from standard input, one per
 * line (blank lines skipped; a tab separates the two texts of a pair). One line is printed per
 * text, in order: {@code label<TAB>probability} for classification, the score for regression.
 * Texts are encoded at the model's training length and run in batches.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify sentences with a merged model, a finished run, or an exported adapter on its base model.")
final class PredictCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "A merged model directory (peft4j export onnx).")
        Path model;

        @Option(names = "--run", paramLabel = "RUN_DIR", required = true, description = "A finished run's directory.")
        Path run;

        @Option(names = "--adapter", paramLabel = "DIR", required = true, description = "An adapter directory (peft4j export adapter).")
        Path adapter;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to classify (default: --file, else standard input).")
    List<String> texts = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A UTF-8 file of texts, one per line.")
    Path file;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "Texts per model run (default: ${DEFAULT-VALUE}).")
    int batchSize = 32;

    @Mixin
    PluginOptions plugins;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1) {
            spec.commandLine().getErr().println("error: --batch-size must be at least 1, got " + batchSize);
            return ExitCodes.USAGE;
        }
        List<Predictor.Text> inputs = inputs();
        PrintWriter out = spec.commandLine().getOut();
        try (Peft4jRuntime runtime = Peft4jRuntime.start(plugins.directories(), spec.commandLine().getErr());
                Predictor predictor = open(runtime)) {
            for (int start = 0; start < inputs.size(); start += batchSize) {
                List<Predictor.Text> batch = inputs.subList(start, Math.min(inputs.size(), start + batchSize));
                float[] logits = predictor.logits(batch, batchSize);
                for (Predictions.Prediction p : Predictions.of(logits, predictor.task(), predictor.labels())) {
                    if (predictor.task() == Dataset.TaskType.REGRESSION) {
                        out.println(String.format(Locale.ROOT, "%.6f", p.score()));
                    } else {
                        out.println(p.label() + "\t" + String.format(Locale.ROOT, "%.4f", p.score()));
                    }
                }
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    private Predictor open(Peft4jRuntime runtime) throws IOException {
        if (source.model != null) {
            return Predictor.merged(source.model, ExportCommand.lookup(runtime));
        }
        TrainedState state = source.run != null ? TrainedState.read(source.run) : HfAdapterFormat.read(source.adapter);
        return Predictor.adapted(state, ExportCommand.lookup(runtime));
    }

    private List<Predictor.Text> inputs() throws IOException {
        List<String> lines;
        if (!texts.isEmpty()) {
            lines = texts;
        } else if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + ": no such file of texts");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } else {
            lines = new ArrayList<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        }
        List<Predictor.Text> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            out.add(tab < 0 ? new Predictor.Text(line, null) : new Predictor.Text(line.substring(0, tab), line.substring(tab + 1)));
        }
        return out;
    }
}
