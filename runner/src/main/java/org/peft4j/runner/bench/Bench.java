package org.peft4j.runner.bench;

import ai.onnxruntime.OrtException;
import org.peft4j.engine.files.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.engine.adapters.AdapterInstaller;
import org.peft4j.engine.artifacts.ArtifactCompiler;
import org.peft4j.engine.artifacts.ArtifactSpec;
import org.peft4j.engine.artifacts.CompiledArtifacts;
import org.peft4j.engine.artifacts.LossBuilder;
import org.peft4j.engine.artifacts.ManagedParameter;
import org.peft4j.engine.optim.AdamWSettings;
import org.peft4j.engine.optim.ParameterGroup;
import org.peft4j.engine.ort.ArtifactSession;
import org.peft4j.engine.ort.ExecutionSettings;
import org.peft4j.engine.ort.SharedWeights;
import org.peft4j.engine.train.RunMeasurements;
import org.peft4j.engine.train.SplitMix64;
import org.peft4j.runner.config.ValidatedHyperParameters;
import org.peft4j.zoo.heads.DropoutFactory;
import org.peft4j.zoo.heads.Head;
import org.peft4j.zoo.heads.HeadSpec;
import org.peft4j.zoo.heads.Pooling;

/**
 * Measures strategies on one model through the engine's own path: the strategy's adapter
 * installed by {@link AdapterInstaller}, a two-class classification head ({@code cls} pooling,
 * dropout 0.1), artifacts from {@link ArtifactCompiler}, and an {@link ArtifactSession} fed random
 * token ids (full attention mask, random labels), exactly as the trainer runs them. No dataset
 * is read.
 *
 * <p>A training step is what the trainer runs per batch: the training model, then the optimizer
 * model. {@link #run} times the strategies round-robin (see there); {@link #measure} and
 * {@link #sweep} time one strategy alone. The process's peak-RSS mark is reset before each
 * strategy is compiled where Linux allows it ({@code /proc/self/clear_refs}), so each strategy
 * reports its own peak, taken while only its sessions are open.
 *
 * <p>Contract: strategies run one after the other in the given order, with the same batch; the
 * work directory receives the compiled artifacts and is emptied of them afterwards. Not
 * thread-safe.
 */
public final class Bench {

    private static final List<String> TOKEN_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");
    private static final double LEARNING_RATE = 1e-4;

    private final EncoderModel model;
    private final Map<String, PeftMethod> methods;
    private final ExecutionSettings execution;
    private final Path workDirectory;
    private final PrintWriter log;
    private Path profileDirectory;
    private int profileRuns;
    private final List<OperatorProfile> profiles = new ArrayList<>();

    /**
     * @param model the loaded encoder
     * @param methods PEFT methods by id (the strategies' methods must be among them)
     * @param execution provider and threads for every session
     * @param workDirectory where artifacts are compiled (created if missing)
     * @param log where progress lines go; null for none
     */
    public Bench(EncoderModel model, Map<String, PeftMethod> methods, ExecutionSettings execution, Path workDirectory, PrintWriter log) {
        this.model = Objects.requireNonNull(model, "model");
        this.methods = Map.copyOf(methods);
        this.execution = Objects.requireNonNull(execution, "execution");
        this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
        this.log = log;
    }

    /**
     * Also profiles each strategy's training model with ONNX Runtime's profiler after its timed
     * steps ({@code runs} runs after one warm-up), writing the raw profiles to {@code directory}.
     *
     * @return this bench
     */
    public Bench optProfile(Path directory, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("profiled runs must be positive, got " + runs);
        }
        this.profileDirectory = Objects.requireNonNull(directory, "directory");
        this.profileRuns = runs;
        return this;
    }

    /** The operator profiles taken so far, in strategy order (empty unless {@link #optProfile} was called). */
    public List<OperatorProfile> profiles() {
        return List.copyOf(profiles);
    }

    /**
     * Runs the MatMul limit and every strategy at {@code settings}'s shape.
     *
     * <p>Two phases. First, strategy by strategy with only its own sessions open: compile, open,
     * warm up, time one evaluation, take the peak resident memory (and the operator profile when
     * asked), close. Then, with every strategy's sessions open at once, the timed steps run
     * round-robin (one training step of each strategy in turn, then one run of the MatMul limit),
     * and so do the timed evaluations: on a machine shared with other work, every strategy and
     * the limit see the same load. The MatMul limit is also measured alone at the end.
     *
     * @throws IllegalArgumentException for an unknown method or a frozen variant of a method
     *     without freezable tensors
     * @throws IOException when artifacts cannot be written
     * @throws OrtException when ONNX Runtime fails
     */
    public BenchReport run(BenchSettings settings, List<BenchStrategy> strategies) throws IOException, OrtException {
        checkMethods(strategies);
        Machine machine = Machine.probe();
        Files.createDirectories(workDirectory);
        List<Prepared> prepared = new ArrayList<>();
        try {
            for (BenchStrategy s : strategies) {
                Prepared p = prepare(s, settings);
                prepared.add(p);
                try {
                    p.open(execution, settings);
                    for (int i = 0; i < settings.warmup(); i++) {
                        p.step();
                    }
                    p.session.evaluate();
                    p.peakRss = RunMeasurements.peakRss();
                    p.heapCommitted = Runtime.getRuntime().totalMemory();
                    if (profileDirectory != null) {
                        OperatorProfile profile = OperatorProfile.profile(s.name(), p.artifacts, p.shared, p.values, p.vocabulary, execution,
                                profileRuns, profileDirectory);
                        profiles.add(profile);
                        progress("%s", profile.text());
                    }
                } finally {
                    p.closeSession();
                }
                progress("%s: peak RSS %.0f MB (%.0f MB at start, Java heap %.0f MB)", s.name(), p.peakRss / 1048576.0,
                        p.rssAtStart / 1048576.0, p.heapCommitted / 1048576.0);
            }
            progress("timing %d strategies round-robin: %d steps each, with one %d^3 MatMul per round", prepared.size(), settings.steps(),
                    settings.matMulSize());
            for (Prepared p : prepared) {
                p.open(execution, settings);
                p.step();
            }
            double[][] steps = new double[prepared.size()][settings.steps()];
            double[][] models = new double[prepared.size()][settings.steps()];
            double[][] evals = new double[prepared.size()][settings.evalSteps()];
            double[] matMul = new double[settings.steps()];
            try (MatMulLimit.Runner limit = new MatMulLimit.Runner(settings.matMulSize(), execution, workDirectory)) {
                limit.runMillis();
                for (int round = 0; round < settings.steps(); round++) {
                    for (int k = 0; k < prepared.size(); k++) {
                        double[] t = prepared.get(k).step();
                        steps[k][round] = t[0];
                        models[k][round] = t[1];
                    }
                    matMul[round] = limit.runMillis();
                    if ((round + 1) % 5 == 0 || round + 1 == settings.steps()) {
                        progress("  round %d of %d", round + 1, settings.steps());
                    }
                }
            }
            for (int round = 0; round < settings.evalSteps(); round++) {
                for (int k = 0; k < prepared.size(); k++) {
                    long t0 = System.nanoTime();
                    prepared.get(k).session.evaluate();
                    evals[k][round] = (System.nanoTime() - t0) / 1e6;
                }
            }
            List<StrategyResult> results = new ArrayList<>();
            for (int k = 0; k < prepared.size(); k++) {
                StrategyResult r = prepared.get(k).result(settings, steps[k], models[k], evals[k]);
                results.add(r);
                progress("%s: train %.1f ms (median), eval %.1f ms, %.1f GFLOP/s", r.strategy().name(), r.train().median(), r.eval().median(),
                        r.gflopsPerSecond());
            }
            for (Prepared p : prepared) {
                p.closeSession();
            }
            MatMulLimit interleaved = MatMulLimit.of(settings.matMulSize(), matMul);
            MatMulLimit alone = MatMulLimit.measure(settings.matMulSize(), execution, 1, 5, workDirectory);
            progress("MatMul limit: %.1f GFLOP/s interleaved with the strategies, %.1f GFLOP/s alone", interleaved.gflopsPerSecond(),
                    alone.gflopsPerSecond());
            return new BenchReport(model.id(), settings, machine.withEndLoad(), interleaved, alone, results, List.of());
        } finally {
            for (Prepared p : prepared) {
                p.close();
            }
        }
    }

    /**
     * Runs one strategy at each shape of {@code shapes} ({@code [batch, sequence]} pairs), for
     * the scaling sweep, one shape after the other.
     */
    public List<StrategyResult> sweep(BenchSettings settings, BenchStrategy strategy, List<int[]> shapes) throws IOException, OrtException {
        checkMethods(List.of(strategy));
        Files.createDirectories(workDirectory);
        List<StrategyResult> out = new ArrayList<>();
        for (int[] shape : shapes) {
            out.add(measure(strategy, settings.withShape(shape[0], shape[1])));
        }
        return out;
    }

    private void checkMethods(List<BenchStrategy> strategies) {
        for (BenchStrategy s : strategies) {
            if (!methods.containsKey(s.method())) {
                throw new IllegalArgumentException("strategy '" + s.name() + "': no PEFT method '" + s.method() + "'; installed methods are "
                        + new java.util.TreeSet<>(methods.keySet()));
            }
        }
    }

    /** Measures one strategy alone at {@code settings}'s batch size and sequence length. */
    public StrategyResult measure(BenchStrategy strategy, BenchSettings settings) throws IOException, OrtException {
        checkMethods(List.of(strategy));
        Files.createDirectories(workDirectory);
        try (Prepared p = prepare(strategy, settings)) {
            p.open(execution, settings);
            for (int i = 0; i < settings.warmup(); i++) {
                p.step();
            }
            double[] steps = new double[settings.steps()];
            double[] models = new double[settings.steps()];
            for (int i = 0; i < settings.steps(); i++) {
                double[] t = p.step();
                steps[i] = t[0];
                models[i] = t[1];
            }
            p.session.evaluate();
            double[] evals = new double[settings.evalSteps()];
            for (int i = 0; i < evals.length; i++) {
                long t0 = System.nanoTime();
                p.session.evaluate();
                evals[i] = (System.nanoTime() - t0) / 1e6;
            }
            p.peakRss = RunMeasurements.peakRss();
            p.heapCommitted = Runtime.getRuntime().totalMemory();
            StrategyResult r = p.result(settings, steps, models, evals);
            progress("%s: B=%d T=%d: train %.1f ms (median), eval %.1f ms, %.1f GFLOP/s, peak RSS %.0f MB", strategy.name(), r.batchSize(),
                    r.sequenceLength(), r.train().median(), r.eval().median(), r.gflopsPerSecond(), r.peakRssBytes() / 1048576.0);
            return r;
        }
    }

    /** Builds the strategy's graph and compiles its artifacts; the peak-RSS mark is reset first. */
    private Prepared prepare(BenchStrategy strategy, BenchSettings settings) throws IOException {
        PeftMethod method = methods.get(strategy.method());
        progress("%s: B=%d T=%d, compiling", strategy.name(), settings.batchSize(), settings.sequenceLength());
        System.gc();
        String rssScope = resetPeakRss() ? "strategy" : "process";
        long rssAtStart = currentRss();
        long t0 = System.nanoTime();
        Graph graph = model.graph();
        ValidatedHyperParameters params = new ValidatedHyperParameters("strategies[" + strategy.name() + "].", strategy.params(),
                method.hyperParameters(), "method '" + method.id() + "'");
        AdapterInstaller.Installed installed = AdapterInstaller.install(graph, model.linearLayers(graph), method, params, settings.seed());
        HeadSpec headSpec = new HeadSpec(TaskType.CLASSIFICATION, Pooling.byId("cls"), 0.1, settings.seed());
        Head head = headSpec.build(graph, model.outputName(), "attention_mask", model.hiddenSize(), 2, DropoutFactory.onnxTraining(settings.seed()));

        List<ManagedParameter> managed = new ArrayList<>();
        for (AdapterParameter p : installed.parameters()) {
            managed.add(new ManagedParameter(p.name(), p.shape(), 0, false, p.trainable(), p.freezable()));
        }
        for (String h : head.parameterNames()) {
            managed.add(new ManagedParameter(h, graph.initializer(h).shape(), 1, true, true, false));
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (ValueInfo in : graph.inputs()) {
            if (TOKEN_INPUTS.contains(in.name())) {
                shapes.put(in.name(), new long[] {settings.batchSize(), settings.sequenceLength()});
            }
        }
        ArtifactSpec spec = new ArtifactSpec(graph, head.logits(), TaskType.CLASSIFICATION, 2, shapes, managed,
                List.of(new ParameterGroup("adapter", LEARNING_RATE, 0.01), new ParameterGroup("head", LEARNING_RATE, 0.01)),
                AdamWSettings.defaults(1.0));
        Set<String> trainable = new LinkedHashSet<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        boolean anyFreezable = false;
        for (ManagedParameter p : managed) {
            values.put(p.name(), graph.initializer(p.name()).floats());
            anyFreezable |= p.freezable();
            if (p.trainable() && !(strategy.allFrozen() && p.freezable())) {
                trainable.add(p.name());
            }
        }
        if (strategy.allFrozen() && !anyFreezable) {
            throw new IllegalArgumentException("strategy '" + strategy.name() + "' asks for all freezable tensors frozen, but method '"
                    + method.id() + "' with " + strategy.params() + " declares none freezable");
        }
        Path dir = Files.createTempDirectory(workDirectory, "artifacts-");
        try {
            ArtifactCompiler compiler = new ArtifactCompiler(spec, dir);
            CompiledArtifacts artifacts = compiler.compile(trainable, values);
            Prepared p = new Prepared(strategy, dir, compiler, artifacts, values, vocabularySize(graph), rssScope, rssAtStart);
            p.compileSeconds = (System.nanoTime() - t0) / 1e9;
            progress("%s: compiled in %.1f s; %d trainable parameters, %.2f GFLOP per step", strategy.name(), p.compileSeconds,
                    p.trainableCount(), artifacts.flopsPerStep() / 1e9);
            return p;
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(dir);
            throw e;
        }
    }

    /** One strategy's compiled artifacts and, while open, its sessions. */
    private static final class Prepared implements AutoCloseable {
        final BenchStrategy strategy;
        final Path directory;
        final ArtifactCompiler compiler;
        final CompiledArtifacts artifacts;
        final Map<String, float[]> values;
        final long vocabulary;
        final String rssScope;
        final long rssAtStart;
        final float[] learningRates = {(float) LEARNING_RATE, (float) LEARNING_RATE};
        double compileSeconds;
        long peakRss = -1;
        long heapCommitted = -1;
        SharedWeights shared;
        ArtifactSession session;
        long updates;
        float loss = Float.NaN;

        Prepared(BenchStrategy strategy, Path directory, ArtifactCompiler compiler, CompiledArtifacts artifacts, Map<String, float[]> values,
                long vocabulary, String rssScope, long rssAtStart) {
            this.strategy = strategy;
            this.directory = directory;
            this.compiler = compiler;
            this.artifacts = artifacts;
            this.values = values;
            this.vocabulary = vocabulary;
            this.rssScope = rssScope;
            this.rssAtStart = rssAtStart;
        }

        long trainableCount() {
            return artifacts.trainable().stream().mapToLong(ManagedParameter::elementCount).sum();
        }

        void open(ExecutionSettings execution, BenchSettings settings) throws OrtException {
            shared = new SharedWeights(compiler.sharedWeights());
            try {
                session = new ArtifactSession(artifacts, execution, shared, 2, values, Map.of());
            } catch (OrtException | RuntimeException e) {
                shared.close();
                shared = null;
                throw e;
            }
            fillBatch(session, settings, vocabulary);
        }

        /** One trainer step; returns {step millis, training-model millis}. */
        double[] step() throws OrtException {
            long s0 = System.nanoTime();
            loss = session.trainStep();
            long s1 = System.nanoTime();
            session.optimizerStep(learningRates, ++updates);
            long s2 = System.nanoTime();
            return new double[] {(s2 - s0) / 1e6, (s1 - s0) / 1e6};
        }

        StrategyResult result(BenchSettings settings, double[] steps, double[] models, double[] evals) {
            return new StrategyResult(strategy, settings.batchSize(), settings.sequenceLength(), StepStats.of(steps), StepStats.of(models),
                    StepStats.of(evals), artifacts.flopsPerStep(), artifacts.evalFlops(), trainableCount(), compileSeconds, peakRss, rssScope,
                    loss, rssAtStart, heapCommitted);
        }

        void closeSession() throws OrtException {
            try {
                if (session != null) {
                    session.close();
                }
            } finally {
                session = null;
                if (shared != null) {
                    shared.close();
                    shared = null;
                }
            }
        }

        @Override
        public void close() throws IOException, OrtException {
            try {
                closeSession();
            } finally {
                FileTrees.delete(directory);
            }
        }
    }

    /** Random token ids below the vocabulary size, a full attention mask, segment 0, random labels, weight 1. */
    static void fillBatch(ArtifactSession session, BenchSettings settings, long vocabulary) {
        SplitMix64 random = new SplitMix64(settings.seed());
        int tokens = settings.batchSize() * settings.sequenceLength();
        for (String name : session.batchInputNames()) {
            switch (name) {
                case "input_ids" -> {
                    LongBuffer b = session.longInput(name);
                    for (int i = 0; i < tokens; i++) {
                        b.put(i, Math.floorMod(random.nextLong(), vocabulary));
                    }
                }
                case "attention_mask" -> {
                    LongBuffer b = session.longInput(name);
                    for (int i = 0; i < tokens; i++) {
                        b.put(i, 1);
                    }
                }
                case "token_type_ids" -> {
                    LongBuffer b = session.longInput(name);
                    for (int i = 0; i < tokens; i++) {
                        b.put(i, 0);
                    }
                }
                case LossBuilder.LABELS -> {
                    LongBuffer b = session.longInput(name);
                    for (int i = 0; i < settings.batchSize(); i++) {
                        b.put(i, Math.floorMod(random.nextLong(), 2));
                    }
                }
                case LossBuilder.EXAMPLE_WEIGHT -> {
                    FloatBuffer b = session.floatInput(name);
                    for (int i = 0; i < settings.batchSize(); i++) {
                        b.put(i, 1f);
                    }
                }
                default -> throw new IllegalArgumentException("training model input '" + name + "' is not one the benchmark can fill");
            }
        }
    }

    /**
     * The number of rows of the embedding table that {@code input_ids} indexes (the first input
     * of a {@code Gather} whose indices are {@code input_ids}); 100 when the graph has none.
     */
    static long vocabularySize(Graph graph) {
        for (Node n : graph.consumers("input_ids")) {
            if (n.opType().equals("Gather") && n.inputs().size() == 2 && n.inputs().get(1).equals("input_ids")) {
                Tensor table = graph.initializer(n.inputs().get(0));
                if (table != null && table.shape().length == 2) {
                    return table.shape()[0];
                }
            }
        }
        return 100;
    }

    /** The process's current resident set size (VmRSS), or -1 where unavailable. */
    static long currentRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Resets the kernel's peak-RSS mark of this process; false where that is not possible. */
    static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException | Error e) {
            return false;
        }
    }

    private void progress(String format, Object... args) {
        if (log != null) {
            log.println(String.format(Locale.ROOT, format, args));
            log.flush();
        }
    }
}
