package org.peft4j.runner.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.data.DataContext;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.data.DatasetProvider;
import org.peft4j.api.freeze.FreezeSchedule;
import org.peft4j.api.freeze.FreezeScheduler;
import org.peft4j.api.freeze.ParameterScorer;
import org.peft4j.api.freeze.Scoring;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.api.model.ModelProvider;
import org.peft4j.api.training.EvaluationEvent;
import org.peft4j.api.training.TrainingListener;
import org.peft4j.engine.adapters.AdapterInstaller;
import org.peft4j.engine.ort.Device;
import org.peft4j.engine.ort.DeviceFallback;
import org.peft4j.engine.ort.ExecutionSettings;
import org.peft4j.engine.train.Trainer;
import org.peft4j.engine.train.TrainingHyperparameters;
import org.peft4j.engine.train.TrainingResult;
import org.peft4j.engine.train.TrainingSpec;
import org.peft4j.runner.ModelLoading;
import org.peft4j.runner.config.ComparisonPlan;
import org.peft4j.runner.config.TrainingSettings;
import org.peft4j.runner.inject.ExtensionCatalog;
import org.peft4j.runner.results.RunResult;
import org.peft4j.zoo.heads.DropoutFactory;
import org.peft4j.zoo.heads.Head;
import org.peft4j.zoo.heads.HeadSpec;
import org.peft4j.zoo.heads.Pooling;

/**
 * Executes runs on peft4j's engine: model from its provider, the strategy's adapter installed, the
 * task head added, training through compiled artifacts on ONNX Runtime, the test split evaluated
 * at the best validation epoch (unless the run's {@code evaluate-test} is off).
 *
 * <p>Models, datasets and tokenised splits are loaded once per comparison and shared by its runs.
 */
public final class EngineRunExecutor implements RunExecutor {

    private final Map<String, PeftMethod> methods;
    private final Map<String, ParameterScorer> scorers;
    private final Map<String, FreezeScheduler> schedulers;
    private final Map<String, ModelProvider> models;
    private final Map<String, DatasetProvider> datasets;
    private final ExtensionCatalog catalog;
    private final List<TrainingListener> pluginListeners;
    private final boolean progressBar;
    private final Map<String, EncoderModel> loadedModels = new HashMap<>();
    private final Map<String, Dataset> loadedDatasets = new HashMap<>();
    private final Map<String, EncodedSplits> encoded = new HashMap<>();

    /**
     * @param methods PEFT methods by id
     * @param scorers scorers by id
     * @param schedulers freeze schedulers by id
     * @param models model providers by id
     * @param datasets dataset providers by id
     * @param catalog where extensions came from, for provenance
     * @param pluginListeners training listeners contributed by plugins
     * @param progressBar whether to draw a console progress bar
     */
    public EngineRunExecutor(Map<String, PeftMethod> methods, Map<String, ParameterScorer> scorers, Map<String, FreezeScheduler> schedulers,
            Map<String, ModelProvider> models, Map<String, DatasetProvider> datasets, ExtensionCatalog catalog,
            List<TrainingListener> pluginListeners, boolean progressBar) {
        this.methods = Map.copyOf(methods);
        this.scorers = Map.copyOf(scorers);
        this.schedulers = Map.copyOf(schedulers);
        this.models = Map.copyOf(models);
        this.datasets = Map.copyOf(datasets);
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.pluginListeners = List.copyOf(pluginListeners);
        this.progressBar = progressBar;
    }

    @Override
    public RunResult execute(RunContext context) throws Exception {
        ComparisonPlan plan = context.plan();
        ComparisonPlan.Run run = context.run();
        ComparisonPlan.Strategy strategy = run.strategy();
        TrainingSettings t = run.training();

        EncoderModel model = model(plan);
        Dataset dataset = dataset(plan, run.dataset());
        EncodedSplits splits = encoded.computeIfAbsent(plan.model().id() + "|" + run.dataset().id() + "|" + run.dataset().params().asMap() + "|"
                + t.maxLength() + "|" + t.maxTrainExamples(), k -> EncodedSplits.encode(dataset, model.tokenizer(), t.maxLength(), t.maxTrainExamples()));

        Graph graph = model.graph();
        List<LinearLayer> layers = model.linearLayers(graph);
        PeftMethod method = methods.get(strategy.method().id());
        AdapterInstaller.Installed installed = AdapterInstaller.install(graph, layers, method, strategy.method().params(), run.seed());
        boolean classification = dataset.taskType() == Dataset.TaskType.CLASSIFICATION;
        int numLabels = classification ? dataset.labels().size() : 1;
        HeadSpec headSpec = new HeadSpec(dataset.taskType(), Pooling.byId(plan.head().pooling()), plan.head().dropout(), run.seed());
        Head head = headSpec.build(graph, model.outputName(), "attention_mask", model.hiddenSize(), numLabels,
                DropoutFactory.onnxTraining(run.seed()));

        Scoring scoring = null;
        FreezeSchedule schedule = null;
        if (strategy.scheduler() != null) {
            schedule = schedulers.get(strategy.scheduler().id()).create(strategy.scheduler().params());
            if (strategy.scorer() != null && schedule.usesScores()) {
                scoring = scorers.get(strategy.scorer().id()).create(strategy.scorer().params());
            }
        }
        List<AdapterParameter> adapterParameters = installed.parameters();
        RunRecorder recorder = new RunRecorder(context.directory(), adapterParameters, context.console());
        List<TrainingListener> listeners = new ArrayList<>();
        listeners.add(recorder);
        listeners.addAll(pluginListeners);
        DatasetMetrics metrics = new DatasetMetrics(dataset);
        ExecutionSettings execution = ExecutionSettings.defaults().withDevice(Device.parse(t.device()), DeviceFallback.parse(t.deviceFallback()));
        TrainingSpec.Builder spec = TrainingSpec.builder()
                .setModel(graph, head.logits())
                .setTask(dataset.taskType(), numLabels)
                .setAdapterParameters(adapterParameters)
                .setHeadParameters(head.parameterNames())
                .setData(splits.train().toEncoded(), splits.validation().toEncoded())
                .setHyperparameters(new TrainingHyperparameters(t.epochs(), t.batchSize(), t.learningRate(), t.headLearningRate(), t.weightDecay(),
                        t.warmupRatio(), t.maxGradNorm(), run.seed(), t.evalEverySteps(), t.checkpointEverySteps()))
                .setArtifactDirectory(context.directory().resolve("artifacts"))
                .optExecution(execution)
                .optCheckpoints(context.directory().resolve("checkpoints"), context.resume())
                .optEvaluator(metrics)
                .optRunInfo(run.id(), strategy.name())
                .optProgressBar(progressBar);
        if (schedule != null) {
            spec.optFreezing(scoring, schedule);
        }
        TrainingResult result = Trainer.train(spec.build(), listeners);
        recorder.finish(result.frozen());

        Map<String, Double> validation = result.best() == null ? Map.of() : result.best().metrics();
        Map<String, float[]> best = result.bestParameters().isEmpty() ? result.finalParameters() : result.bestParameters();
        Map<String, Double> test = Map.of();
        if (t.evaluateTest()) {
            float[] testLogits = SplitInference.logits(graph, head.logits(), numLabels, best, splits.test(), t.batchSize());
            double[] references = new double[splits.test().size()];
            for (int i = 0; i < references.length; i++) {
                references[i] = classification ? splits.test().labels()[i] : splits.test().targets()[i];
            }
            test = metrics.compute(testLogits, numLabels, references);
        }
        TrainedRun.save(context.directory().resolve(TrainedRun.DIRECTORY), context.plan(), run,
                Provenances.of(context.plan(), run, catalog, result.device().name().toLowerCase(java.util.Locale.ROOT)), dataset, installed, head, best);
        return toResult(context, result, validation, test, adapterParameters, head, recorder);
    }

    private RunResult toResult(RunContext context, TrainingResult result, Map<String, Double> validation, Map<String, Double> test,
            List<AdapterParameter> adapterParameters, Head head, RunRecorder recorder) {
        ComparisonPlan.Run run = context.run();
        var m = result.measurements();
        long constants = adapterParameters.stream().filter(p -> !p.trainable()).mapToLong(AdapterParameter::elementCount).sum();
        RunResult.ParameterAccounting accounting = new RunResult.ParameterAccounting(m.trainableInitial(), m.trainableFinal(),
                m.trainableTimeAveraged(), head.parameterCount(), constants);
        List<Double> stepMillis = new ArrayList<>(result.stepMillis().length);
        for (double ms : result.stepMillis()) {
            stepMillis.add(ms);
        }
        RunResult.Timing timing = new RunResult.Timing(m.wallSeconds(), m.trainingSeconds(), m.stepMillisMedian(), m.stepMillisP90(),
                m.examplesPerSecond(), m.flopsPerStepInitial(), result.flops().length == 0 ? 0 : result.flops()[result.flops().length - 1],
                m.totalFlops(), m.peakRssBytes(), result.steps(), stepMillis);
        List<RunResult.EpochRecord> epochs = new ArrayList<>();
        long previousStep = 0;
        for (EvaluationEvent e : result.evaluations()) {
            double sum = 0;
            int count = 0;
            for (long s = previousStep; s < e.step() && s < result.losses().length; s++) {
                sum += result.losses()[(int) s];
                count++;
            }
            epochs.add(new RunResult.EpochRecord(e.epoch(), e.step(), count == 0 ? Double.NaN : sum / count, e.metrics()));
            previousStep = e.step();
        }
        List<Double> losses = new ArrayList<>(result.losses().length);
        for (float l : result.losses()) {
            losses.add((double) l);
        }
        List<Long> counts = new ArrayList<>(result.trainableCounts().length);
        for (long c : result.trainableCounts()) {
            counts.add(c);
        }
        return new RunResult(run.id(), run.strategy().name(), run.dataset().label(), run.seed(), "finished", null,
                Provenances.of(context.plan(), run, catalog, result.device().name().toLowerCase(java.util.Locale.ROOT)), result.primaryMetric(),
                result.best() == null ? -1 : result.best().epoch(), validation, test, accounting, timing, epochs, losses, counts,
                recorder.freezes(), context.comparisonDirectory().relativize(context.directory()).toString());
    }

    private EncoderModel model(ComparisonPlan plan) throws IOException {
        String key = plan.model().id() + "|" + plan.model().params().asMap();
        EncoderModel cached = loadedModels.get(key);
        if (cached != null) {
            return cached;
        }
        EncoderModel model = models.get(plan.model().id()).load(plan.model().params(), ModelLoading.context(ModelLoading.modelCache()));
        loadedModels.put(key, model);
        return model;
    }

    private Dataset dataset(ComparisonPlan plan, ComparisonPlan.DatasetChoice choice) throws IOException {
        String key = choice.id() + "|" + choice.params().asMap();
        Dataset cached = loadedDatasets.get(key);
        if (cached != null) {
            return cached;
        }
        Path base = plan.source().toAbsolutePath().getParent();
        DataContext context = new DataContext() {
            @Override
            public Path dataDirectory() {
                return plan.dataDirectory();
            }

            @Override
            public Path baseDirectory() {
                return base;
            }
        };
        Dataset d = datasets.get(choice.id()).load(choice.params(), context);
        loadedDatasets.put(key, d);
        return d;
    }
}
