package org.peft4j.runner.plugins;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.peft4j.api.Identified;
import org.peft4j.api.training.TrainingListener;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DefaultVersionManager;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.RuntimeMode;

/**
 * Loads plugins with PF4J and instantiates every extension once.
 *
 * <p>Contract: {@link #load} never throws for a broken plugin: a bad manifest, an unmet
 * {@code Plugin-Requires}, a duplicate plugin id, a missing extension class or an extension whose
 * constructor throws becomes one {@link PluginProblem}, and every other plugin loads as usual.
 * Extensions on the runner's own classpath are included with plugin id {@link Discovered#SYSTEM}.
 * Close the registry to stop and unload the plugins.
 */
public final class PluginRegistry implements AutoCloseable {

    private final PluginManager manager;
    private final String frameworkVersion;
    private final List<PluginProblem> problems = new ArrayList<>();
    private final List<PluginInfo> plugins = new ArrayList<>();
    private final Map<ExtensionPoints, List<Discovered<? extends Identified>>> extensions = new LinkedHashMap<>();
    private final List<TrainingListener> listeners = new ArrayList<>();

    private PluginRegistry(List<Path> roots, String frameworkVersion) {
        this.frameworkVersion = frameworkVersion;
        this.manager = new DefaultPluginManager(List.copyOf(roots)) {
            @Override
            public RuntimeMode getRuntimeMode() {
                // plugins are always built jars or exploded directories with a manifest
                return RuntimeMode.DEPLOYMENT;
            }
        };
        manager.setSystemVersion(frameworkVersion);
        for (ExtensionPoints p : ExtensionPoints.all()) {
            extensions.put(p, new ArrayList<>());
        }
    }

    /**
     * Loads every plugin found directly inside {@code roots} (jars and plugin directories; missing
     * roots are skipped) and the classpath's system extensions.
     *
     * @param roots plugin directories, in priority order
     * @param frameworkVersion the version checked against each plugin's {@code Plugin-Requires}
     */
    public static PluginRegistry load(List<Path> roots, String frameworkVersion) {
        Objects.requireNonNull(roots, "roots");
        Objects.requireNonNull(frameworkVersion, "frameworkVersion");
        PluginRegistry registry = new PluginRegistry(roots, frameworkVersion);
        registry.loadAll(roots);
        return registry;
    }

    private void loadAll(List<Path> roots) {
        PluginDescriptorFinder finder = new CompoundPluginDescriptorFinder()
                .add(new PropertiesPluginDescriptorFinder())
                .add(new ManifestPluginDescriptorFinder());
        DefaultVersionManager versions = new DefaultVersionManager();
        for (Path candidate : candidates(roots)) {
            PluginDescriptor descriptor;
            try {
                descriptor = finder.find(candidate);
            } catch (RuntimeException e) {
                problems.add(new PluginProblem(candidate, null, "no valid plugin descriptor (Plugin-Id, Plugin-Version in the jar manifest): "
                        + rootMessage(e)));
                continue;
            }
            String id = descriptor.getPluginId();
            if (id == null || id.isBlank()) {
                problems.add(new PluginProblem(candidate, null, "the manifest has no Plugin-Id"));
                continue;
            }
            String requires = descriptor.getRequires();
            try {
                if (requires != null && !requires.isBlank() && !"*".equals(requires.trim())
                        && !versions.checkVersionConstraint(frameworkVersion, requires)) {
                    problems.add(new PluginProblem(candidate, id, "it requires peft4j " + requires + " but this is peft4j " + frameworkVersion));
                    continue;
                }
            } catch (RuntimeException e) {
                problems.add(new PluginProblem(candidate, id, "its Plugin-Requires '" + requires + "' is not a version expression: " + rootMessage(e)));
                continue;
            }
            if (manager.getPlugin(id) != null) {
                problems.add(new PluginProblem(candidate, id, "a plugin with the same id was already loaded from "
                        + manager.getPlugin(id).getPluginPath()));
                continue;
            }
            try {
                manager.loadPlugin(candidate);
            } catch (RuntimeException e) {
                problems.add(new PluginProblem(candidate, id, rootMessage(e)));
            }
        }
        manager.startPlugins();
        for (PluginWrapper w : manager.getPlugins()) {
            PluginDescriptor d = w.getDescriptor();
            if (w.getPluginState() != PluginState.STARTED) {
                Throwable failure = w.getFailedException();
                problems.add(new PluginProblem(w.getPluginPath(), w.getPluginId(), "state " + w.getPluginState()
                        + (failure == null ? "" : ": " + rootMessage(failure))));
            }
            plugins.add(new PluginInfo(w.getPluginId(), d.getVersion(), d.getProvider(), d.getRequires(), d.getPluginDescription(),
                    w.getPluginState().toString(), w.getPluginPath()));
        }
        instantiate(null, getClass().getClassLoader(), Discovered.SYSTEM, frameworkVersion, null);
        for (PluginWrapper w : manager.getStartedPlugins()) {
            instantiate(w.getPluginId(), w.getPluginClassLoader(), w.getPluginId(), w.getDescriptor().getVersion(), w.getPluginPath());
        }
    }

    private void instantiate(String pluginId, ClassLoader loader, String shownId, String version, Path source) {
        for (String className : manager.getExtensionClassNames(pluginId)) {
            Class<?> cls;
            try {
                cls = Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                problems.add(new PluginProblem(sourceOrClasspath(source), pluginId, "extension class " + className + " cannot be loaded: "
                        + rootMessage(e)));
                continue;
            }
            if (pluginId != null && manager.whichPlugin(cls) == null) {
                continue; // a system extension visible through the plugin's parent class loader
            }
            Object instance = null;
            for (ExtensionPoints point : ExtensionPoints.all()) {
                if (point.type().isAssignableFrom(cls)) {
                    instance = instance != null ? instance : create(cls, pluginId, source);
                    if (instance == null) {
                        break;
                    }
                    extensions.get(point).add(new Discovered<>((Identified) instance, point, shownId, version, source));
                }
            }
            if (TrainingListener.class.isAssignableFrom(cls)) {
                Object listener = instance != null ? instance : create(cls, pluginId, source);
                if (listener != null) {
                    listeners.add((TrainingListener) listener);
                }
            }
        }
    }

    private Object create(Class<?> cls, String pluginId, Path source) {
        try {
            Object instance = cls.getDeclaredConstructor().newInstance();
            if (instance instanceof Identified identified) {
                String id = identified.id();
                if (id == null || !id.matches("[a-z0-9]+([-.][a-z0-9]+)*")) {
                    problems.add(new PluginProblem(sourceOrClasspath(source), pluginId, "extension " + cls.getName() + " has an invalid id '" + id
                            + "' (expected lower-case kebab-case)"));
                    return null;
                }
                Objects.requireNonNull(identified.hyperParameters(), "hyperParameters()");
            }
            return instance;
        } catch (InvocationTargetException e) {
            problems.add(new PluginProblem(sourceOrClasspath(source), pluginId, "extension " + cls.getName() + " failed in its constructor: "
                    + rootMessage(e.getCause())));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            problems.add(new PluginProblem(sourceOrClasspath(source), pluginId, "extension " + cls.getName() + " cannot be created: "
                    + rootMessage(e)));
        }
        return null;
    }

    private static Path sourceOrClasspath(Path source) {
        return source != null ? source : Path.of("<classpath>");
    }

    private static List<Path> candidates(List<Path> roots) {
        List<Path> result = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(root)) {
                entries.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                        .sorted()
                        .forEach(result::add);
            } catch (IOException e) {
                throw new IllegalStateException("cannot list plugin directory " + root + ": " + e.getMessage(), e);
            }
        }
        return result;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** The framework version plugins were checked against. */
    public String frameworkVersion() {
        return frameworkVersion;
    }

    /** Every plugin PF4J loaded, started or not. */
    public List<PluginInfo> plugins() {
        return Collections.unmodifiableList(plugins);
    }

    /** Every problem found while loading, in discovery order. */
    public List<PluginProblem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** The instantiated extensions of one point, system extensions first. */
    @SuppressWarnings("unchecked")
    public <T extends Identified> List<Discovered<T>> extensions(ExtensionPoints point) {
        List<Discovered<T>> list = new ArrayList<>();
        for (Discovered<? extends Identified> d : extensions.get(point)) {
            list.add((Discovered<T>) d);
        }
        return list;
    }

    /** Every instantiated identified extension, grouped by point. */
    public Map<ExtensionPoints, List<Discovered<? extends Identified>>> allExtensions() {
        Map<ExtensionPoints, List<Discovered<? extends Identified>>> copy = new LinkedHashMap<>();
        extensions.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** Training listeners contributed by plugins and the classpath. */
    public List<TrainingListener> listeners() {
        return Collections.unmodifiableList(listeners);
    }

    @Override
    public void close() {
        // unloading stops each plugin first; PF4J's stopPlugins() trips over its own list here
        manager.unloadPlugins();
    }
}
