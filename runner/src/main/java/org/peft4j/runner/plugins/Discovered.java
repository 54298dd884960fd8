package org.peft4j.runner.plugins;

import java.nio.file.Path;
import java.util.Objects;
import org.peft4j.api.Identified;

/**
 * One instantiated extension and where it came from.
 *
 * @param extension the extension instance
 * @param point the extension point it implements
 * @param pluginId the contributing plugin's id, or {@link #SYSTEM} for the classpath
 * @param pluginVersion the contributing plugin's version, or the framework version for the classpath
 * @param source the plugin jar or directory, or null for the classpath
 * @param <T> the extension type
 */
public record Discovered<T extends Identified>(T extension, ExtensionPoints point, String pluginId, String pluginVersion, Path source) {

    /** The plugin id shown for extensions found on the runner's own classpath. */
    public static final String SYSTEM = "peft4j (built-in)";

    public Discovered {
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(pluginVersion, "pluginVersion");
    }

    /** The extension's id. */
    public String id() {
        return extension.id();
    }

    /** {@code pluginId@version}, for messages and provenance. */
    public String origin() {
        return pluginId + "@" + pluginVersion;
    }
}
