package org.peft4j.runner.plugins;

import java.nio.file.Path;

/**
 * A loaded plugin as {@code peft4j plugins} shows it.
 *
 * @param id plugin id
 * @param version plugin version
 * @param provider plugin provider
 * @param requires the framework versions it requires
 * @param description plugin description
 * @param state the PF4J state, such as {@code STARTED}
 * @param source where it was loaded from
 */
public record PluginInfo(String id, String version, String provider, String requires, String description, String state, Path source) {
}
