package org.peft4j.engine.train;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.freeze.FreezeContext;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.training.EvaluationEvent;
import org.peft4j.api.training.ParameterState;
import org.peft4j.api.training.RunInfo;
import org.peft4j.api.training.StepEvent;
import org.peft4j.api.training.TrainingListener;
import org.peft4j.engine.artifacts.ArtifactCompiler;
import org.peft4j.engine.artifacts.ArtifactSpec;
import org.peft4j.engine.artifacts.CompiledArtifacts;
import org.peft4j.engine.artifacts.LossBuilder;
import org.peft4j.engine.artifacts.ManagedParameter;
import org.peft4j.engine.checkpoint.CheckpointStore;
import org.peft4j.engine.checkpoint.TrainingCheckpoint;
import org.peft4j.engine.optim.AdamWSettings;
import org.peft4j.engine.optim.ParameterGroup;
import org.peft4j.engine.ort.ArtifactSession;
import org.peft4j.engine.ort.OrtRuntime;
import org.peft4j.engine.ort.SharedWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop, peft4j's public entry point for training one run.
 *
 * <p>{@link #train} compiles the spec's model into artifacts for the initial trainable set, then
 * for each epoch shuffles the training split with a seeded generator and, for each batch: fills
 * the session's input buffers (padding the last partial batch with weight-0 copies), runs the
 * training model, stops with a {@link TrainingException} naming the step on a NaN or infinite
 * loss, tells the listeners (loss, learning rate, trainable parameters and raw gradients), lets the
 * freeze schedule pick tensors to freeze (after the scoring observed the step), runs the AdamW
 * optimizer at the scheduled learning rate, and, when tensors froze, recompiles the artifacts
 * without them, carrying parameters and moments over. It evaluates every epoch (or every N
 * steps), keeps the best evaluation and its parameters, checkpoints every N steps and at the end,
 * and records the measurements.
 *
 * <p>Contract: same spec, same seed, same machine and thread count give bit-identical losses,
 * metrics and parameters, also when the run is killed and resumed from a checkpoint (the
 * checkpoint holds everything the loop's state depends on). Listener exceptions fail the run and
 * reach {@link TrainingListener#onRunEnd} as the error.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Group index of the adapter parameters. */
    public static final int ADAPTER_GROUP = 0;
    /** Group index of the head parameters. */
    public static final int HEAD_GROUP = 1;
    private static final List<String> BATCH_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");

    private final TrainingSpec spec;
    private final List<TrainingListener> listeners;
    private final TrainingHyperparameters hp;
    private final List<ManagedParameter> managed;
    private final ArtifactSpec artifactSpec;
    private final int batchSize;
    private final int seqLen;
    private final long stepsPerEpoch;
    private final long totalSteps;
    private final LinearSchedule schedule;
    private final RunInfo runInfo;

    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Set<String> trainableSet = new LinkedHashSet<>();
    private final Set<String> frozen = new HashSet<>();
    private final List<EvaluationEvent> evaluations = new ArrayList<>();
    private Map<String, float[]> bestValues = new LinkedHashMap<>();
    private int bestIndex = -1;
    private float[] losses;
    private float[] lrs;
    private long[] counts;
    private long[] flops;
    private long step;
    private SplitMix64 rng;
    private long epochStartState;
    private ArtifactSession session;
    private ParameterState[] states;
    private Map<String, ParameterState> stateMap;
    private int compilations;
    private final List<java.nio.file.Path> artifactDirectories = new ArrayList<>();

    private Trainer(TrainingSpec spec, List<TrainingListener> listeners) {
        this.spec = spec;
        this.listeners = List.copyOf(listeners);
        this.hp = spec.hyperparameters();
        this.batchSize = hp.batchSize();
        this.seqLen = spec.train().sequenceLength();
        Graph model = spec.model();
        List<ManagedParameter> ps = new ArrayList<>();
        for (AdapterParameter p : spec.adapterParameters()) {
            ps.add(new ManagedParameter(p.name(), p.shape(), ADAPTER_GROUP, false, p.trainable(), p.freezable()));
        }
        for (String h : spec.headParameters()) {
            Tensor t = model.initializer(h);
            if (t == null) {
                throw new IllegalArgumentException("head parameter '" + h + "' is not an initializer of model '" + model.name() + "'");
            }
            ps.add(new ManagedParameter(h, t.shape(), HEAD_GROUP, true, true, false));
        }
        this.managed = List.copyOf(ps);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (ValueInfo in : model.inputs()) {
            if (BATCH_INPUTS.contains(in.name())) {
                shapes.put(in.name(), new long[] {batchSize, seqLen});
            } else if (model.initializer(in.name()) == null) {
                throw new IllegalArgumentException("model '" + model.name() + "' has input '" + in.name()
                        + "'; the trainer feeds only " + BATCH_INPUTS);
            }
        }
        List<ParameterGroup> groups = List.of(new ParameterGroup("adapter", hp.learningRate(), hp.weightDecay()),
                new ParameterGroup("head", hp.headLearningRate(), hp.weightDecay()));
        AdamWSettings adamW = new AdamWSettings(spec.beta1(), spec.beta2(), spec.epsilon(), hp.maxGradNorm());
        this.artifactSpec = new ArtifactSpec(model, spec.logits(), spec.task(), spec.numLabels(), shapes, managed, groups, adamW);
        this.stepsPerEpoch = (spec.train().size() + batchSize - 1) / batchSize;
        this.totalSteps = stepsPerEpoch * hp.epochs();
        this.schedule = new LinearSchedule(totalSteps, hp.warmupRatio());
        this.runInfo = new RunInfo(spec.runId(), spec.strategy(), totalSteps, stepsPerEpoch, hp.epochs());
    }

    /**
     * Trains one run.
     *
     * @param spec what to train and how
     * @param listeners observers, called in order on the training thread
     * @return losses, evaluations, parameters and measurements
     * @throws IOException when artifacts or checkpoints cannot be written or read (a damaged
     *     checkpoint is a {@link org.peft4j.engine.checkpoint.CheckpointException} naming the file)
     * @throws TrainingException on a NaN or infinite loss, an ONNX Runtime failure, or a
     *     checkpoint of another configuration
     */
    public static TrainingResult train(TrainingSpec spec, List<TrainingListener> listeners) throws IOException {
        return new Trainer(spec, listeners).run();
    }

    private TrainingResult run() throws IOException {
        long wallStart = System.nanoTime();
        ArtifactCompiler compiler = new ArtifactCompiler(artifactSpec, spec.artifactDirectory());
        String fingerprint = fingerprint(compiler);
        for (ManagedParameter p : managed) {
            values.put(p.name(), spec.model().initializer(p.name()).floats());
            if (p.trainable()) {
                trainableSet.add(p.name());
            }
        }
        losses = new float[(int) totalSteps];
        lrs = new float[(int) totalSteps];
        counts = new long[(int) totalSteps];
        flops = new long[(int) totalSteps];
        rng = new SplitMix64(hp.seed());
        Map<String, float[][]> moments = Map.of();
        CheckpointStore store = spec.checkpointDirectory() == null ? null : new CheckpointStore(spec.checkpointDirectory(), 2);
        long resumedFrom = 0;
        if (spec.resume()) {
            TrainingCheckpoint c = store.loadLatest().orElse(null);
            if (c == null) {
                LOG.info("no checkpoint in {}; starting {} from step 0", store.directory(), spec.runId());
            } else {
                if (!c.fingerprint().equals(fingerprint)) {
                    throw new TrainingException("the checkpoint in " + store.directory() + " belongs to another configuration (fingerprint "
                            + c.fingerprint() + ", this run " + fingerprint + "); use another checkpoint directory or start afresh");
                }
                restore(c);
                moments = c.moments();
                resumedFrom = c.step();
                LOG.info("resuming {} from step {} of {}", spec.runId(), step, totalSteps);
            }
        }
        List<TrainingListener> all = new ArrayList<>();
        if (spec.progressBar()) {
            all.add(new ConsoleProgress(batchSize, step));
        }
        all.addAll(listeners);
        List<Long> stepNanos = new ArrayList<>();
        long realExamples = 0;
        Throwable failure = null;
        long initialFlops = 0;
        try (SharedWeights shared = new SharedWeights(compiler.sharedWeights())) {
            for (TrainingListener l : all) {
                l.onRunStart(runInfo);
            }
            openSession(compiler, shared, moments);
            initialFlops = session.artifacts().flopsPerStep();
            int startEpoch = (int) (step / stepsPerEpoch);
            for (int epoch = startEpoch; epoch < hp.epochs() && step < totalSteps; epoch++) {
                epochStartState = rng.state();
                int[] order = rng.permutation(spec.train().size());
                for (long b = step - epoch * stepsPerEpoch; b < stepsPerEpoch; b++) {
                    long t0 = System.nanoTime();
                    int real = fillTrainingBatch(order, (int) b);
                    float loss = session.trainStep();
                    if (!Float.isFinite(loss)) {
                        throw new TrainingException("the training loss is " + loss + " at step " + step + " (epoch " + (epoch + 1) + ", batch "
                                + (b + 1) + " of " + stepsPerEpoch + "); lower the learning rate or check the data");
                    }
                    double factor = schedule.factor(step);
                    float[] groupLrs = {(float) (hp.learningRate() * factor), (float) (hp.headLearningRate() * factor)};
                    long trainableCount = session.artifacts().trainableAdapterCount();
                    long stepFlops = session.artifacts().flopsPerStep();
                    long pause = 0;
                    long resume = 0;
                    if (!all.isEmpty() || spec.freezeSchedule() != null) {
                        for (int i = 0; i < states.length; i++) {
                            session.parameter(i, states[i].values());
                            session.gradient(i, states[i].gradient());
                        }
                        StepEvent event = new Event(step, epoch, loss, groupLrs[0], stateMap, Collections.unmodifiableSet(frozen),
                                trainableCount);
                        pause = System.nanoTime();
                        for (TrainingListener l : all) {
                            l.onStep(event);
                        }
                        resume = System.nanoTime();
                    }
                    Set<String> toFreeze = decideFreezing();
                    session.optimizerStep(groupLrs, step + 1);
                    stepNanos.add(System.nanoTime() - t0 - (resume - pause));
                    realExamples += real;
                    losses[(int) step] = loss;
                    lrs[(int) step] = groupLrs[0];
                    counts[(int) step] = trainableCount;
                    flops[(int) step] = stepFlops;
                    step++;
                    if (!toFreeze.isEmpty()) {
                        freeze(toFreeze, compiler, shared);
                    }
                    boolean epochEnd = b == stepsPerEpoch - 1;
                    boolean evalDue = hp.evalEverySteps() > 0 ? step % hp.evalEverySteps() == 0 || step == totalSteps : epochEnd;
                    if (evalDue) {
                        evaluate(epoch, all);
                    }
                    if (store != null && hp.checkpointEverySteps() > 0 && step % hp.checkpointEverySteps() == 0 && step < totalSteps) {
                        store.save(checkpoint(fingerprint, epochEnd));
                    }
                }
            }
            if (store != null && (resumedFrom < totalSteps)) {
                store.save(checkpoint(fingerprint, true));
            }
            syncValues();
        } catch (OrtException e) {
            failure = e;
            throw new TrainingException("ONNX Runtime failed at step " + step + " of run " + spec.runId() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException e) {
                    LOG.warn("closing the sessions of {} failed: {}", spec.runId(), e.getMessage());
                }
            }
            for (TrainingListener l : all) {
                try {
                    l.onRunEnd(runInfo, failure);
                } catch (RuntimeException e) {
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
        }
        RunMeasurements m = measurements(wallStart, stepNanos, realExamples, initialFlops);
        return new TrainingResult(step, losses, lrs, counts, flops, evaluations, bestIndex,
                spec.evaluator().metrics().get(0), new LinkedHashMap<>(values), bestValues, frozen, resumedFrom,
                OrtRuntime.effectiveDevice(spec.execution()), m, artifactDirectories,
                stepNanos.stream().mapToDouble(n -> n / 1e6).toArray());
    }

    // ------------------------------------------------------------------ sessions and freezing

    private void openSession(ArtifactCompiler compiler, SharedWeights shared, Map<String, float[][]> moments)
            throws IOException, OrtException {
        CompiledArtifacts a = compiler.compile(trainableSet, values);
        compilations++;
        artifactDirectories.add(a.directory());
        session = new ArtifactSession(a, spec.execution(), shared, artifactSpec.groups().size(), values, moments);
        for (String in : session.batchInputNames()) {
            if (!BATCH_INPUTS.contains(in) && !in.equals(LossBuilder.LABELS) && !in.equals(LossBuilder.EXAMPLE_WEIGHT)) {
                throw new IllegalArgumentException("training model input '" + in + "' is not one the trainer feeds");
            }
        }
        List<ManagedParameter> ps = a.trainable();
        states = new ParameterState[ps.size()];
        Map<String, ParameterState> map = new LinkedHashMap<>();
        for (int i = 0; i < ps.size(); i++) {
            int n = ps.get(i).elementCount();
            states[i] = new ParameterState(ps.get(i).name(), new float[n], new float[n]);
            map.put(ps.get(i).name(), states[i]);
        }
        stateMap = Collections.unmodifiableMap(map);
    }

    private Set<String> decideFreezing() {
        if (spec.freezeSchedule() == null) {
            return Set.of();
        }
        List<String> candidates = new ArrayList<>();
        for (ManagedParameter p : managed) {
            if (p.freezable() && trainableSet.contains(p.name())) {
                candidates.add(p.name());
            }
        }
        if (candidates.isEmpty()) {
            return Set.of();
        }
        Map<String, float[]> scores = Map.of();
        if (spec.scoring() != null && spec.freezeSchedule().usesScores()) {
            Map<String, ParameterState> observed = new LinkedHashMap<>();
            for (String c : candidates) {
                observed.put(c, stateMap.get(c));
            }
            spec.scoring().observe(step, Collections.unmodifiableMap(observed));
            scores = spec.scoring().elementScores();
        }
        Set<String> selected = spec.freezeSchedule().select(new FreezeContext(step, totalSteps, stepsPerEpoch, candidates, scores));
        if (selected == null) {
            throw new IllegalStateException("the freeze schedule returned null at step " + step);
        }
        for (String s : selected) {
            if (!candidates.contains(s)) {
                throw new IllegalStateException("the freeze schedule selected '" + s + "', which is not a still-trainable candidate");
            }
        }
        return selected;
    }

    private void freeze(Set<String> toFreeze, ArtifactCompiler compiler, SharedWeights shared) throws IOException, OrtException {
        values.putAll(session.parameterValues());
        Map<String, float[][]> moments = new LinkedHashMap<>(session.moments());
        session.close();
        session = null;
        trainableSet.removeAll(toFreeze);
        frozen.addAll(toFreeze);
        toFreeze.forEach(moments::remove);
        if (spec.scoring() != null) {
            spec.scoring().release(Set.copyOf(toFreeze));
        }
        if (trainableSet.isEmpty()) {
            throw new TrainingException("every trainable parameter is frozen after step " + step + "; nothing is left to train");
        }
        LOG.debug("step {}: froze {}; recompiling for {} trainable tensors", step, toFreeze, trainableSet.size());
        openSession(compiler, shared, moments);
    }

    private void syncValues() {
        if (session != null) {
            values.putAll(session.parameterValues());
        }
    }

    // ------------------------------------------------------------------ batches and evaluation

    private int fillTrainingBatch(int[] order, int batchIndex) {
        int start = batchIndex * batchSize;
        int real = Math.min(batchSize, order.length - start);
        int[] rows = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            rows[i] = order[start + (i < real ? i : 0)];
        }
        fill(spec.train(), rows, real);
        return real;
    }

    private void fill(EncodedDataset data, int[] rows, int real) {
        copyTokens(data.inputIds(), "input_ids", rows);
        copyTokens(data.attentionMask(), "attention_mask", rows);
        copyTokens(data.tokenTypeIds(), "token_type_ids", rows);
        if (session.hasInput(LossBuilder.LABELS)) {
            if (data.task() == TaskType.CLASSIFICATION) {
                LongBuffer lb = session.longInput(LossBuilder.LABELS);
                for (int i = 0; i < rows.length; i++) {
                    lb.put(i, data.label(rows[i]));
                }
            } else {
                FloatBuffer fb = session.floatInput(LossBuilder.LABELS);
                for (int i = 0; i < rows.length; i++) {
                    fb.put(i, data.target(rows[i]));
                }
            }
        }
        if (session.hasInput(LossBuilder.EXAMPLE_WEIGHT)) {
            FloatBuffer w = session.floatInput(LossBuilder.EXAMPLE_WEIGHT);
            for (int i = 0; i < rows.length; i++) {
                w.put(i, i < real ? 1f : 0f);
            }
        }
    }

    private void copyTokens(long[] source, String input, int[] rows) {
        if (!session.hasInput(input)) {
            return;
        }
        LongBuffer lb = session.longInput(input);
        for (int i = 0; i < rows.length; i++) {
            if (source == null) {
                for (int t = 0; t < seqLen; t++) {
                    lb.put(i * seqLen + t, 0L);
                }
            } else {
                lb.put(i * seqLen, source, rows[i] * seqLen, seqLen);
            }
        }
    }

    private void evaluate(int epoch, List<TrainingListener> all) throws OrtException {
        EncodedDataset data = spec.validation();
        int c = spec.numLabels();
        float[] logits = new float[data.size() * c];
        float[] batchLogits = new float[session.logitsSize()];
        int[] rows = new int[batchSize];
        for (int start = 0; start < data.size(); start += batchSize) {
            int real = Math.min(batchSize, data.size() - start);
            for (int i = 0; i < batchSize; i++) {
                rows[i] = start + (i < real ? i : 0);
            }
            fill(data, rows, real);
            session.evaluate();
            session.logits(batchLogits);
            System.arraycopy(batchLogits, 0, logits, start * c, real * c);
        }
        Map<String, Double> metrics = spec.evaluator().evaluate(logits, c, data);
        EvaluationEvent event = new EvaluationEvent(epoch, step, "validation", metrics);
        evaluations.add(event);
        String primary = spec.evaluator().metrics().get(0);
        Double value = metrics.get(primary);
        if (value == null) {
            throw new IllegalStateException("the evaluator returned no '" + primary + "' metric");
        }
        if (bestIndex < 0 || value > evaluations.get(bestIndex).metrics().get(primary)) {
            bestIndex = evaluations.size() - 1;
            syncValues();
            bestValues = copy(values);
        }
        for (TrainingListener l : all) {
            l.onEvaluation(event);
        }
    }

    // ------------------------------------------------------------------ checkpoints

    private TrainingCheckpoint checkpoint(String fingerprint, boolean atEpochEnd) {
        syncValues();
        long rngState = atEpochEnd || step % stepsPerEpoch == 0 ? rng.state() : epochStartState;
        Map<String, float[]> scorer = spec.scoring() == null ? Map.of() : spec.scoring().state();
        return new TrainingCheckpoint(fingerprint, step, rngState, trainableOnly(values), session.moments(), frozen, scorer,
                Arrays.copyOf(losses, (int) step), Arrays.copyOf(lrs, (int) step), Arrays.copyOf(counts, (int) step),
                Arrays.copyOf(flops, (int) step), evaluations, bestIndex, trainableOnly(bestValues));
    }

    /**
     * The values of tensors that train at some point; constants that never train (such as ELoRA's
     * projections) are rebuilt from the model and not checkpointed.
     */
    private Map<String, float[]> trainableOnly(Map<String, float[]> all) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ManagedParameter p : managed) {
            float[] v = all.get(p.name());
            if (p.trainable() && v != null) {
                out.put(p.name(), v.clone());
            }
        }
        return out;
    }

    private void restore(TrainingCheckpoint c) {
        if (c.step() > totalSteps) {
            throw new TrainingException("the checkpoint is at step " + c.step() + " but this run has only " + totalSteps + " steps");
        }
        for (ManagedParameter p : managed) {
            if (!p.trainable()) {
                continue;
            }
            float[] v = c.values().get(p.name());
            if (v == null || v.length != p.elementCount()) {
                throw new TrainingException("the checkpoint has no value of " + p.elementCount() + " elements for '" + p.name() + "'");
            }
            values.put(p.name(), v);
        }
        step = c.step();
        rng = new SplitMix64(c.epochRngState());
        frozen.addAll(c.frozen());
        trainableSet.removeAll(c.frozen());
        if (spec.scoring() != null) {
            spec.scoring().restore(c.scorerState());
            if (!c.frozen().isEmpty()) {
                spec.scoring().release(c.frozen());
            }
        }
        System.arraycopy(c.losses(), 0, losses, 0, (int) step);
        System.arraycopy(c.learningRates(), 0, lrs, 0, (int) step);
        System.arraycopy(c.trainableCounts(), 0, counts, 0, (int) step);
        System.arraycopy(c.flops(), 0, flops, 0, (int) step);
        evaluations.addAll(c.evaluations());
        bestIndex = c.bestIndex();
        if (!c.bestValues().isEmpty()) {
            bestValues = copy(values);
            bestValues.putAll(copy(c.bestValues()));
        }
    }

    private String fingerprint(ArtifactCompiler compiler) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(compiler.modelKey().getBytes(StandardCharsets.UTF_8));
        md.update(hp.toString().getBytes(StandardCharsets.UTF_8));
        md.update((spec.beta1() + "," + spec.beta2() + "," + spec.epsilon()).getBytes(StandardCharsets.UTF_8));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4);
        for (ManagedParameter p : managed) {
            md.update(p.name().getBytes(StandardCharsets.UTF_8));
            for (float v : spec.model().initializer(p.name()).floats()) {
                md.update(b.putFloat(0, v).array());
            }
        }
        spec.train().digest(md);
        spec.validation().digest(md);
        return HexFormat.of().formatHex(md.digest()).substring(0, 24);
    }

    private static Map<String, float[]> copy(Map<String, float[]> m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    // ------------------------------------------------------------------ measurement

    private RunMeasurements measurements(long wallStart, List<Long> stepNanos, long realExamples, long initialFlops) {
        double wall = (System.nanoTime() - wallStart) / 1e9;
        long[] sorted = stepNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        double trainingSeconds = Arrays.stream(sorted).sum() / 1e9;
        double median = sorted.length == 0 ? 0 : percentile(sorted, 0.5) / 1e6;
        double p90 = sorted.length == 0 ? 0 : percentile(sorted, 0.9) / 1e6;
        double meanFlops = step == 0 ? 0 : Arrays.stream(flops, 0, (int) step).average().orElse(0);
        double totalFlops = Arrays.stream(flops, 0, (int) step).mapToDouble(x -> x).sum();
        double avgTrainable = step == 0 ? 0 : Arrays.stream(counts, 0, (int) step).average().orElse(0);
        long first = step == 0 ? 0 : counts[0];
        long last = step == 0 ? 0 : counts[(int) step - 1];
        return new RunMeasurements(wall, trainingSeconds, median, p90, trainingSeconds > 0 ? realExamples / trainingSeconds : 0,
                RunMeasurements.peakRss(), step == 0 ? initialFlops : flops[0], meanFlops, totalFlops, first, last, avgTrainable,
                compilations, sorted.length);
    }

    private static double percentile(long[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private record Event(long step, int epoch, double loss, double learningRate, Map<String, ParameterState> trainable,
            Set<String> frozen, long trainableParameterCount) implements StepEvent {
    }
}
