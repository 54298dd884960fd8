package org.peft4j.runner.cli;

import com.google.inject.Key;
import org.peft4j.engine.files.FileTrees;
import com.google.inject.TypeLiteral;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.engine.ort.ExecutionSettings;
import org.peft4j.runner.ModelLoading;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.bench.Bench;
import org.peft4j.runner.bench.BenchReport;
import org.peft4j.runner.bench.BenchSettings;
import org.peft4j.runner.bench.BenchStrategy;
import org.peft4j.runner.bench.StrategyResult;
import org.peft4j.runner.config.ComparisonPlan;
import org.peft4j.runner.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code peft4j bench}: training and evaluation speed of PEFT strategies on one model, next to
 * the machine's MatMul limit, in one process.
 *
 * <p>Strategies: by default the head-only baseline, LoRA r=8, ELoRA r=1024, AFLoRA r=4 and
 * AFLoRA r=4 with every projection frozen; with {@code --config}, the config's model and
 * strategies (a strategy with a freeze scheduler also gets an all-frozen variant named
 * {@code NAME-frozen}). {@code --only} keeps the named ones. Prints the table of
 * {@link BenchReport#table()}; {@code --json} also writes {@link BenchReport#toJson()};
 * {@code --sweep} adds a scaling sweep of one strategy over batch sizes 1 to 64 (at the chosen
 * length) and lengths 32 to 256 (at the chosen batch size). Exit code 0 on success, 2 for bad
 * options.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training/eval step time, FLOPs, GFLOP/s and peak memory of strategies against the machine's MatMul limit.")
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "Model id (default: ${DEFAULT-VALUE}; --config uses the config's model).")
    String model = "minilm-l6";

    @Option(names = "--config", paramLabel = "FILE", description = "Take the model and the strategies from this comparison config.")
    Path config;

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Measure only these strategies (comma-separated names).")
    List<String> only = new ArrayList<>();

    @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch = 16;

    @Option(names = "--seq", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int sequence = 128;

    @Option(names = "--steps", description = "Timed training steps per strategy (default: ${DEFAULT-VALUE}).")
    int steps = 20;

    @Option(names = "--warmup", description = "Untimed training steps per strategy first (default: ${DEFAULT-VALUE}).")
    int warmup = 2;

    @Option(names = "--eval-steps", description = "Timed evaluation runs per strategy (default: ${DEFAULT-VALUE}).")
    int evalSteps = 5;

    @Option(names = "--threads", description = "ONNX Runtime intra-op threads (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--matmul-size", description = "n of the n x n x n MatMul that measures the limit (default: ${DEFAULT-VALUE}).")
    int matMulSize = 2048;

    @Option(names = "--seed", description = "Seed of adapters, head and random batches (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--sweep", description = "Also run the scaling sweep: batch 1..64 and length 32..256.")
    boolean sweep;

    @Option(names = "--sweep-strategy", paramLabel = "NAME", description = "Strategy of the sweep (default: the first that is not head-only).")
    String sweepStrategy;

    @Option(names = "--sweep-steps", description = "Timed steps per sweep point, after one warm-up (default: ${DEFAULT-VALUE}).")
    int sweepSteps = 5;

    @Option(names = "--profile", paramLabel = "DIR",
            description = "Also profile each strategy's training model with ONNX Runtime's profiler; raw profiles go to DIR.")
    Path profile;

    @Option(names = "--profile-runs", description = "Profiled runs per strategy, after one warm-up (default: ${DEFAULT-VALUE}).")
    int profileRuns = 3;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where artifacts are compiled (default: a temporary directory, removed after).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchSettings settings;
        try {
            settings = new BenchSettings(batch, sequence, steps, warmup, evalSteps, threads, matMulSize, seed);
            if (sweepSteps < 1) {
                throw new IllegalArgumentException("--sweep-steps must be positive, got " + sweepSteps);
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try (Peft4jRuntime runtime = Peft4jRuntime.start(plugins.directories(), err)) {
            String modelId = model;
            Map<String, Object> modelParams = Map.of();
            List<BenchStrategy> strategies;
            if (config != null) {
                ComparisonPlan plan = new ConfigLoader(runtime.catalog()).load(config, Map.of());
                modelId = plan.model().id();
                modelParams = plan.model().params().asMap();
                strategies = fromPlan(plan);
            } else {
                strategies = BenchStrategy.defaults();
            }
            strategies = select(strategies, only);
            Map<String, PeftMethod> methods = runtime.injector().getInstance(Key.get(new TypeLiteral<Map<String, PeftMethod>>() { }));
            EncoderModel encoder = loadModel(runtime, modelId, modelParams);
            Path work = workDir != null ? workDir : Files.createTempDirectory("peft4j-bench-");
            try {
                ExecutionSettings execution = new ExecutionSettings(ExecutionSettings.defaults().device(), ExecutionSettings.defaults().fallback(),
                        threads, 0);
                Bench bench = new Bench(encoder, methods, execution, work, err);
                if (profile != null) {
                    bench.optProfile(profile, profileRuns);
                }
                BenchReport report = bench.run(settings, strategies);
                if (sweep) {
                    BenchStrategy chosen = sweepChoice(strategies);
                    List<StrategyResult> points = bench.sweep(settings.withSteps(sweepSteps, 1, 1), chosen, sweepShapes(batch, sequence));
                    report = report.withSweep(points);
                }
                out.print(report.table());
                for (var p : bench.profiles()) {
                    out.println();
                    out.print(p.text());
                }
                out.flush();
                if (json != null) {
                    Path parent = json.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
                    out.println("wrote " + json);
                }
            } finally {
                if (workDir == null) {
                    FileTrees.delete(work);
                }
            }
        }
        return ExitCodes.OK;
    }

    /** The sweep's shapes: batch 1, 4, 16, 64 at {@code length}, then length 32, 64, 128, 256 at {@code batch}. */
    static List<int[]> sweepShapes(int batch, int length) {
        List<int[]> shapes = new ArrayList<>();
        for (int b : new int[] {1, 4, 16, 64}) {
            shapes.add(new int[] {b, length});
        }
        for (int t : new int[] {32, 64, 128, 256}) {
            if (!(t == length && List.of(1, 4, 16, 64).contains(batch))) {
                shapes.add(new int[] {batch, t});
            }
        }
        return shapes;
    }

    private BenchStrategy sweepChoice(List<BenchStrategy> strategies) {
        if (sweepStrategy != null) {
            return strategies.stream().filter(s -> s.name().equals(sweepStrategy)).findFirst().orElseThrow(() -> new ConfigurationException(
                    "--sweep-strategy", "--sweep-strategy: no strategy '" + sweepStrategy + "'; strategies are "
                            + strategies.stream().map(BenchStrategy::name).toList()));
        }
        return strategies.stream().filter(s -> !s.method().equals(BenchStrategy.HEAD_ONLY)).findFirst().orElse(strategies.get(0));
    }

    static List<BenchStrategy> fromPlan(ComparisonPlan plan) {
        List<BenchStrategy> out = new ArrayList<>();
        for (ComparisonPlan.Strategy s : plan.strategies()) {
            out.add(new BenchStrategy(s.name(), s.method().id(), s.method().params().asMap(), false));
            if (s.scheduler() != null) {
                out.add(new BenchStrategy(s.name() + "-frozen", s.method().id(), s.method().params().asMap(), true));
            }
        }
        return out;
    }

    static List<BenchStrategy> select(List<BenchStrategy> strategies, List<String> names) {
        if (names.isEmpty()) {
            return strategies;
        }
        Map<String, BenchStrategy> byName = new LinkedHashMap<>();
        strategies.forEach(s -> byName.put(s.name(), s));
        List<BenchStrategy> out = new ArrayList<>();
        for (String n : names) {
            BenchStrategy s = byName.get(n.trim());
            if (s == null) {
                throw new ConfigurationException("--only", "--only: no strategy '" + n + "'; strategies are " + byName.keySet());
            }
            out.add(s);
        }
        return out;
    }

    private static EncoderModel loadModel(Peft4jRuntime runtime, String id, Map<String, Object> params) throws IOException {
        return ModelLoading.load(runtime.catalog(), id, params, "model.", ModelLoading.modelCache());
    }
}
