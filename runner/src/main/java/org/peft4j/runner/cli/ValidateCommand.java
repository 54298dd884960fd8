package org.peft4j.runner.cli;

import java.util.concurrent.Callable;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.config.ComparisonPlan;
import org.peft4j.runner.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code peft4j validate CONFIG}: checks a config and prints the resolved plan. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a comparison config and print the resolved plan (strategies x datasets x seeds) with effective hyperparameters.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Peft4jRuntime runtime = Peft4jRuntime.start(plugins.directories(), spec.commandLine().getErr())) {
            ComparisonPlan plan = new ConfigLoader(runtime.catalog()).load(config.config(), config.overrides());
            PlanPrinter.print(plan, spec.commandLine().getOut());
            spec.commandLine().getOut().println();
            spec.commandLine().getOut().println("config is valid");
        }
        return ExitCodes.OK;
    }
}
