package org.peft4j.runner.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The config file and its {@code -D} overrides, shared by the commands that read a config. */
public final class ConfigOptions {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The comparison config (YAML).")
    Path config;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override a config value, such as -Dtraining.epochs=1 or -Dstrategies[0].r=4 (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The config file. */
    public Path config() {
        return config;
    }

    /** The overrides in command-line order. */
    public Map<String, String> overrides() {
        return overrides;
    }
}
