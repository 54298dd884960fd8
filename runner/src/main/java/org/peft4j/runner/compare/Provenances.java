package org.peft4j.runner.compare;

import java.util.LinkedHashMap;
import java.util.Map;
import org.peft4j.runner.config.ComparisonPlan;
import org.peft4j.runner.config.TrainingSettings;
import org.peft4j.runner.inject.ExtensionCatalog;
import org.peft4j.runner.plugins.ExtensionPoints;
import org.peft4j.runner.results.RunResult;

/** Builds the provenance record of a run from its plan entry and the extensions' origins. */
public final class Provenances {

    private Provenances() {
    }

    /**
     * The provenance of {@code run}.
     *
     * @param plan the comparison
     * @param run the run
     * @param catalog where the extensions came from
     * @param device the device the run used
     */
    public static RunResult.Provenance of(ComparisonPlan plan, ComparisonPlan.Run run, ExtensionCatalog catalog, String device) {
        ComparisonPlan.Strategy s = run.strategy();
        return new RunResult.Provenance(s.method().id(), origin(catalog, ExtensionPoints.METHOD, s.method()), s.method().params().asMap(),
                s.scorer() == null ? null : s.scorer().id(), origin(catalog, ExtensionPoints.SCORER, s.scorer()),
                s.scorer() == null ? Map.of() : s.scorer().params().asMap(), s.scheduler() == null ? null : s.scheduler().id(),
                origin(catalog, ExtensionPoints.SCHEDULER, s.scheduler()), s.scheduler() == null ? Map.of() : s.scheduler().params().asMap(),
                plan.model().id(), plan.model().params().asMap(), training(run.training()), device);
    }

    private static String origin(ExtensionCatalog catalog, ExtensionPoints point, ComparisonPlan.Choice choice) {
        if (choice == null) {
            return null;
        }
        return catalog.find(point, choice.id()).map(d -> d.origin()).orElse("unknown");
    }

    /** The training settings as the keys of the config's {@code training} section. */
    public static Map<String, Object> training(TrainingSettings t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", t.epochs());
        m.put("batch-size", t.batchSize());
        m.put("max-length", t.maxLength());
        m.put("learning-rate", t.learningRate());
        m.put("head-learning-rate", t.headLearningRate());
        m.put("weight-decay", t.weightDecay());
        m.put("warmup-ratio", t.warmupRatio());
        m.put("max-grad-norm", t.maxGradNorm());
        m.put("eval-every-steps", t.evalEverySteps());
        m.put("max-train-examples", t.maxTrainExamples());
        m.put("device", t.device());
        m.put("device-fallback", t.deviceFallback());
        m.put("checkpoint-every-steps", t.checkpointEverySteps());
        m.put("evaluate-test", t.evaluateTest());
        return m;
    }
}
