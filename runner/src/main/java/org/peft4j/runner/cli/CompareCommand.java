package org.peft4j.runner.cli;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peft4j.api.data.DatasetProvider;
import org.peft4j.api.freeze.FreezeScheduler;
import org.peft4j.api.freeze.ParameterScorer;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.api.model.ModelProvider;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.compare.ComparisonRunner;
import org.peft4j.runner.compare.EngineRunExecutor;
import org.peft4j.runner.config.ComparisonPlan;
import org.peft4j.runner.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peft4j compare CONFIG}: trains every strategy on every dataset and seed, and reports. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run a comparison: train every strategy on every dataset and seed, then write results.json, report.md and report.html.")
final class CompareCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Mixin
    ConfigOptions config;

    @Option(names = "--resume", description = "Continue the newest run directory of this comparison: skip finished runs, resume the interrupted one, run strategies added to the config since.")
    boolean resume;

    @Option(names = "--no-progress", description = "Do not draw progress bars (log lines only).")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try (Peft4jRuntime runtime = Peft4jRuntime.start(plugins.directories(), spec.commandLine().getErr())) {
            ComparisonPlan plan = new ConfigLoader(runtime.catalog()).load(config.config(), config.overrides());
            PlanPrinter.print(plan, spec.commandLine().getOut());
            spec.commandLine().getOut().println();
            Injector injector = runtime.injector();
            EngineRunExecutor executor = new EngineRunExecutor(
                    injector.getInstance(Key.get(new TypeLiteral<Map<String, PeftMethod>>() { })),
                    injector.getInstance(Key.get(new TypeLiteral<Map<String, ParameterScorer>>() { })),
                    injector.getInstance(Key.get(new TypeLiteral<Map<String, FreezeScheduler>>() { })),
                    injector.getInstance(Key.get(new TypeLiteral<Map<String, ModelProvider>>() { })),
                    injector.getInstance(Key.get(new TypeLiteral<Map<String, DatasetProvider>>() { })),
                    runtime.catalog(), runtime.registry().listeners(), !noProgress && System.console() != null);
            ComparisonRunner.Outcome outcome = new ComparisonRunner(plan, runtime.catalog(), executor, spec.commandLine().getOut()).run(resume);
            if (outcome.failedRuns() > 0) {
                spec.commandLine().getErr().println("error: " + outcome.failedRuns() + " of " + outcome.results().runs().size()
                        + " run(s) failed; see " + outcome.directory().resolve("report.md"));
                return ExitCodes.RUN_FAILURE;
            }
            return ExitCodes.OK;
        }
    }
}
