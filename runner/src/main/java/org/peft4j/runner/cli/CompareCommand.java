package org.peft4j.runner.cli;

import java.util.concurrent.Callable;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.config.ComparisonPlan;
import org.peft4j.runner.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peft4j compare CONFIG}: trains every strategy on every dataset and seed, and reports. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run a comparison: train every strategy on every dataset and seed, then write results and reports.")
final class CompareCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Mixin
    ConfigOptions config;

    @Option(names = "--resume", description = "Continue the newest run directory of this comparison: skip finished runs, resume the interrupted one.")
    boolean resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Peft4jRuntime runtime = Peft4jRuntime.start(plugins.directories(), spec.commandLine().getErr())) {
            ComparisonPlan plan = new ConfigLoader(runtime.catalog()).load(config.config(), config.overrides());
            PlanPrinter.print(plan, spec.commandLine().getOut());
            spec.commandLine().getErr().println("error: the training engine is not available in this build yet; the plan above is valid");
            return ExitCodes.RUN_FAILURE;
        }
    }
}
