package org.peft4j.runner.plugins;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A plugin, or one of its extensions, that could not be loaded.
 *
 * @param source the plugin jar or directory
 * @param pluginId the plugin id when the manifest could be read, else null
 * @param message one line saying what went wrong
 */
public record PluginProblem(Path source, String pluginId, String message) {

    public PluginProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }

    /** The one-line report users see. */
    public String line() {
        return "plugin " + (pluginId == null ? "" : "'" + pluginId + "' ") + "at " + source + " not loaded: " + message;
    }
}
