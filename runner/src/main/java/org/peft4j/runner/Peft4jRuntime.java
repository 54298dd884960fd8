package org.peft4j.runner;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peft4j.runner.inject.ExtensionCatalog;
import org.peft4j.runner.inject.ExtensionModule;
import org.peft4j.runner.plugins.PluginProblem;
import org.peft4j.runner.plugins.PluginRegistry;

/**
 * The loaded plugins and the Guice injector built from them; what every command starts with.
 *
 * <p>Contract: plugin problems are printed to the given stream, one line each, and never stop
 * start-up; a duplicate extension id does (it makes configs ambiguous). Close to unload plugins.
 */
public final class Peft4jRuntime implements AutoCloseable {

    /** System property naming the staged plugin directory; the launcher sets it. */
    public static final String PLUGINS_PROPERTY = "peft4j.plugins";

    private final PluginRegistry registry;
    private final Injector injector;

    private Peft4jRuntime(PluginRegistry registry, Injector injector) {
        this.registry = registry;
        this.injector = injector;
    }

    /**
     * Loads the plugins from the default directory and {@code extraDirs}.
     *
     * @param extraDirs directories given with {@code --plugins-dir}
     * @param warnings where plugin problems are reported; null to stay silent
     */
    public static Peft4jRuntime start(List<Path> extraDirs, PrintWriter warnings) {
        List<Path> roots = new ArrayList<>();
        roots.add(defaultPluginsDirectory());
        roots.addAll(extraDirs);
        PluginRegistry registry = PluginRegistry.load(roots, Peft4jVersion.get());
        if (warnings != null) {
            for (PluginProblem p : registry.problems()) {
                warnings.println("warning: " + p.line());
            }
        }
        try {
            Injector injector = Guice.createInjector(new ExtensionModule(registry.allExtensions()));
            return new Peft4jRuntime(registry, injector);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** The staged plugin directory: {@code -Dpeft4j.plugins}, else {@code plugins} in the working directory. */
    public static Path defaultPluginsDirectory() {
        String configured = System.getProperty(PLUGINS_PROPERTY);
        return Path.of(configured != null && !configured.isBlank() ? configured : "plugins");
    }

    /** The plugin registry. */
    public PluginRegistry registry() {
        return registry;
    }

    /** The injector with every extension bound by id. */
    public Injector injector() {
        return injector;
    }

    /** The catalog of extensions by point and id. */
    public ExtensionCatalog catalog() {
        return injector.getInstance(ExtensionCatalog.class);
    }

    @Override
    public void close() {
        registry.close();
    }
}
