package org.peft4j.runner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that loads plugins shares. */
public final class PluginOptions {

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "An extra directory of plugin jars (repeatable); the bundled plugins are always loaded.")
    List<Path> pluginDirs = new ArrayList<>();

    /** The extra plugin directories, in order. */
    public List<Path> directories() {
        return pluginDirs;
    }
}
