package org.peft4j.runner.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.plugins.Discovered;
import org.peft4j.runner.plugins.ExtensionPoints;
import org.peft4j.runner.plugins.PluginInfo;
import org.peft4j.runner.plugins.PluginProblem;
import org.peft4j.runner.plugins.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code peft4j plugins}: every plugin, its extensions and their hyperparameters. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the loaded plugins, their extensions (methods, scorers, schedulers, models, datasets) and hyperparameters.")
final class PluginsCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Option(names = {"-v", "--verbose"}, description = "Also show where each plugin was loaded from.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Peft4jRuntime runtime = Peft4jRuntime.start(plugins.directories(), null)) {
            PluginRegistry registry = runtime.registry();
            Map<ExtensionPoints, List<Discovered<? extends Identified>>> all = registry.allExtensions();
            out.println("peft4j " + registry.frameworkVersion() + ": " + registry.plugins().size() + " plugin(s) from "
                    + Peft4jRuntime.defaultPluginsDirectory() + (plugins.directories().isEmpty() ? "" : " and " + plugins.directories()));
            for (PluginInfo p : registry.plugins()) {
                out.println();
                out.printf("%s %s by %s [%s]%n", p.id(), p.version(), p.provider(), p.state());
                if (p.description() != null && !p.description().isBlank()) {
                    out.println("  " + p.description());
                }
                if (verbose) {
                    out.println("  loaded from " + p.source().toAbsolutePath() + " (requires peft4j " + p.requires() + ")");
                }
                printExtensions(out, all, p.id());
            }
            out.println();
            out.println("built-in extensions (peft4j " + registry.frameworkVersion() + ", on the classpath)");
            printExtensions(out, all, Discovered.SYSTEM);
            if (!registry.problems().isEmpty()) {
                out.println();
                out.println("problems:");
                for (PluginProblem problem : registry.problems()) {
                    out.println("  " + problem.line());
                }
            }
        }
        return ExitCodes.OK;
    }

    private void printExtensions(PrintWriter out, Map<ExtensionPoints, List<Discovered<? extends Identified>>> all, String pluginId) {
        for (Map.Entry<ExtensionPoints, List<Discovered<? extends Identified>>> e : all.entrySet()) {
            for (Discovered<? extends Identified> d : e.getValue()) {
                if (!d.pluginId().equals(pluginId)) {
                    continue;
                }
                out.printf("  %-9s %-22s %s%n", e.getKey().word(), d.id(), d.extension().description());
                if (verbose && d.source() == null) {
                    out.println("            class " + d.extension().getClass().getName());
                }
                for (HyperParameter<?> h : d.extension().hyperParameters()) {
                    out.printf("      %-24s %-8s default %-14s %s%n", h.key(), h.type().getSimpleName().toLowerCase(),
                            h.defaultValue() == null ? "(none)" : String.valueOf(h.defaultValue()), h.description());
                }
            }
        }
    }
}
