package org.peft4j.runner.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.runner.plugins.Discovered;
import org.peft4j.runner.plugins.ExtensionPoints;
import org.peft4j.runner.plugins.PluginProblem;
import org.peft4j.runner.plugins.PluginRegistry;

/**
 * Loads PEFT methods from built plugin jars, the way the runner does, so that a contract test can
 * check the very extension a user would drop into a plugins directory rather than a class on the
 * test classpath.
 *
 * <p>Contract: {@link #load} fails (with every such problem listed) when a plugin of the given
 * directories, or one of its extensions, cannot be loaded; problems of extensions on the runner's
 * own classpath are not the plugins' and are ignored; {@link #method} fails naming the id and the ids that exist when no plugin
 * contributes it. The caller closes the registry.
 */
public final class PluginMethods {

    /** The system property under which the runner's build names the directory of staged bundled plugins. */
    public static final String STAGED_PLUGINS_PROPERTY = "peft4j.test.plugins";

    private PluginMethods() {
    }

    /** The directory where the build staged the bundled plugin jars. */
    public static Path stagedBundledPlugins() {
        Path dir = Path.of(System.getProperty(STAGED_PLUGINS_PROPERTY, "target/plugins"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no staged plugins in " + dir.toAbsolutePath() + " (system property " + STAGED_PLUGINS_PROPERTY
                    + "); the runner's build copies the bundled plugin jars there in generate-test-resources");
        }
        return dir;
    }

    /**
     * Loads every plugin of {@code dirs} against framework version {@code frameworkVersion}.
     *
     * @throws IllegalStateException listing the problems when a plugin of {@code dirs} fails to load
     */
    public static PluginRegistry load(List<Path> dirs, String frameworkVersion) {
        PluginRegistry registry = PluginRegistry.load(dirs, frameworkVersion);
        List<Path> roots = dirs.stream().map(d -> d.toAbsolutePath().normalize()).toList();
        List<String> lines = registry.problems().stream()
                .filter(p -> roots.stream().anyMatch(r -> p.source().toAbsolutePath().normalize().startsWith(r)))
                .map(PluginProblem::line)
                .toList();
        if (!lines.isEmpty()) {
            registry.close();
            throw new IllegalStateException("plugins in " + dirs + " failed to load:\n" + String.join("\n", lines));
        }
        return registry;
    }

    /** The method with id {@code id} that a plugin (not the runner's classpath) contributes. */
    public static PeftMethod method(PluginRegistry registry, String id) {
        Objects.requireNonNull(id, "id");
        List<Discovered<PeftMethod>> methods = registry.extensions(ExtensionPoints.METHOD);
        return methods.stream()
                .filter(d -> d.id().equals(id) && !Discovered.SYSTEM.equals(d.pluginId()))
                .findFirst()
                .map(Discovered::extension)
                .orElseThrow(() -> new IllegalStateException("no plugin contributes method '" + id + "'; methods found: "
                        + methods.stream().map(d -> d.id() + " (" + d.origin() + ")").toList()));
    }

    private static PluginRegistry bundled;

    /**
     * The method {@code id} from the bundled plugin jars the build staged, loaded once per test JVM
     * and unloaded when it exits, so contract tests of several plugins share one registry.
     */
    public static synchronized PeftMethod bundled(String id) {
        if (bundled == null) {
            PluginRegistry registry = load(List.of(stagedBundledPlugins()), org.peft4j.runner.Peft4jVersion.get());
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close));
            bundled = registry;
        }
        return method(bundled, id);
    }
}
