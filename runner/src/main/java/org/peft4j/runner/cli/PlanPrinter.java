package org.peft4j.runner.cli;

import java.io.PrintWriter;
import org.peft4j.runner.config.ComparisonPlan;
import org.peft4j.runner.config.TrainingSettings;

/** Prints a resolved comparison plan for people. */
final class PlanPrinter {

    private PlanPrinter() {
    }

    static void print(ComparisonPlan plan, PrintWriter out) {
        out.println("comparison '" + plan.name() + "' from " + plan.source());
        out.println("  model    " + plan.model().id() + " " + plan.model().params().asMap());
        for (ComparisonPlan.DatasetChoice d : plan.datasets()) {
            out.println("  dataset  " + d.label() + ": " + d.id() + " " + d.params().asMap());
        }
        out.println("  seeds    " + plan.seeds());
        out.println("  head     pooling " + plan.head().pooling() + ", dropout " + plan.head().dropout());
        out.println("  output   " + plan.outputDirectory());
        if (plan.referenceStrategy() != null) {
            out.println("  relative to strategy '" + plan.referenceStrategy() + "'");
        }
        out.println();
        out.println("strategies:");
        for (ComparisonPlan.Strategy s : plan.strategies()) {
            out.println("  " + s.name() + ": method " + s.method().id() + " " + s.method().params().asMap());
            if (s.scorer() != null) {
                out.println("      scorer    " + s.scorer().id() + " " + s.scorer().params().asMap());
            }
            if (s.scheduler() != null) {
                out.println("      scheduler " + s.scheduler().id() + " " + s.scheduler().params().asMap());
            }
            TrainingSettings t = s.training();
            out.printf("      training  %d epoch(s), batch %d, max length %d, lr %s, head lr %s, weight decay %s, warm-up %s, clip %s, %s%n",
                    t.epochs(), t.batchSize(), t.maxLength(), t.learningRate(), t.headLearningRate(), t.weightDecay(), t.warmupRatio(),
                    t.maxGradNorm(), t.device());
        }
        out.println();
        out.println("plan: " + plan.strategies().size() + " strategies x " + plan.datasets().size() + " dataset(s) x " + plan.seeds().size()
                + " seed(s) = " + plan.runs().size() + " run(s)");
        int i = 1;
        for (ComparisonPlan.Run r : plan.runs()) {
            TrainingSettings t = r.training();
            boolean differs = !t.equals(r.strategy().training());
            out.printf("  %3d  %s%s%n", i++, r.id(), differs ? String.format("  (%d epoch(s), lr %s, head lr %s)", t.epochs(), t.learningRate(),
                    t.headLearningRate()) : "");
        }
    }
}
