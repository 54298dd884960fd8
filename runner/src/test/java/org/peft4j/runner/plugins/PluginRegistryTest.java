package org.peft4j.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.Identified;

/** Plugin discovery from the real, built plugin jars in deployment mode, and broken plugins. */
class PluginRegistryTest {

    static final String VERSION = "0.1.0";

    @TempDir
    Path temp;

    /** Copies the bundled plugin jars the build staged into a fresh directory. */
    static Path stageBundledPlugins(Path dir) throws IOException {
        Path staged = Path.of(System.getProperty("peft4j.test.plugins", "target/plugins"));
        assertTrue(Files.isDirectory(staged), "the build stages the bundled plugins in " + staged);
        Files.createDirectories(dir);
        try (Stream<Path> jars = Files.list(staged)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    private static Map<String, List<String>> idsByPlugin(PluginRegistry registry) {
        Map<String, List<String>> result = new TreeMap<>();
        for (List<Discovered<? extends Identified>> list : registry.allExtensions().values()) {
            for (Discovered<? extends Identified> d : list) {
                result.computeIfAbsent(d.pluginId(), k -> new java.util.ArrayList<>()).add(d.point().word() + ":" + d.id());
            }
        }
        result.values().forEach(l -> l.sort(String::compareTo));
        return result;
    }

    @Test
    void discoversTheBundledPluginsAndEachExtensionOnce() throws IOException {
        Path dir = stageBundledPlugins(temp.resolve("plugins"));
        try (PluginRegistry registry = PluginRegistry.load(List.of(dir), VERSION)) {
            assertEquals(List.of(), registry.problems(), "no problems with the bundled plugins");
            Set<String> pluginIds = registry.plugins().stream().map(PluginInfo::id).collect(Collectors.toSet());
            assertEquals(Set.of("lora", "elora", "aflora"), pluginIds);
            registry.plugins().forEach(p -> assertEquals("STARTED", p.state(), p.id()));
            Map<String, List<String>> ids = idsByPlugin(registry);
            assertEquals(List.of("method:lora"), ids.get("lora"));
            assertEquals(List.of("method:elora"), ids.get("elora"));
            List<String> aflora = ids.get("aflora");
            for (String expected : List.of("method:aflora", "scorer:aflora-sensitivity", "scheduler:aflora-cubic")) {
                assertEquals(1, aflora.stream().filter(expected::equals).count(), expected + " exactly once in " + aflora);
            }
            // every extension appears once across all plugins and the classpath
            List<String> all = ids.values().stream().flatMap(List::stream).toList();
            assertEquals(all.size(), Set.copyOf(all).size(), "duplicates in " + all);
        }
    }

    @Test
    void brokenPluginsAreReportedAndTheOthersLoad() throws IOException {
        Path dir = stageBundledPlugins(temp.resolve("plugins"));
        new PluginJarBuilder().manifest("Created-By", "nobody").build(dir.resolve("no-manifest.jar"));
        new PluginJarBuilder().plugin("future", "1.0.0", ">=99.0.0")
                .source("org.example.future.FutureMethod", PluginJarBuilder.methodSource("org.example.future", "FutureMethod", "future", ""))
                .build(dir.resolve("future.jar"));
        new PluginJarBuilder().plugin("ghost", "1.0.0", ">=0.1.0")
                .entry("META-INF/extensions.idx", "org.example.ghost.MissingMethod\n")
                .build(dir.resolve("ghost.jar"));
        new PluginJarBuilder().plugin("thrower", "1.0.0", ">=0.1.0")
                .source("org.example.thrower.ThrowingMethod", PluginJarBuilder.methodSource("org.example.thrower", "ThrowingMethod", "thrower",
                        "throw new IllegalStateException(\"no licence key\");"))
                .build(dir.resolve("thrower.jar"));
        try (PluginRegistry registry = PluginRegistry.load(List.of(dir), VERSION)) {
            List<String> lines = registry.problems().stream().map(PluginProblem::line).toList();
            assertEquals(4, lines.size(), String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("no-manifest.jar") && l.contains("Plugin-Id")), String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("'future'") && l.contains("requires peft4j >=99.0.0")
                    && l.contains("this is peft4j 0.1.0")), String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("'ghost'") && l.contains("org.example.ghost.MissingMethod")), String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("'thrower'") && l.contains("constructor") && l.contains("no licence key")),
                    String.join("\n", lines));
            lines.forEach(l -> assertFalse(l.contains("\n"), "one line each: " + l));
            Map<String, List<String>> ids = idsByPlugin(registry);
            assertEquals(List.of("method:lora"), ids.get("lora"));
            assertTrue(ids.get("aflora").contains("scheduler:aflora-cubic"));
            assertFalse(ids.containsKey("thrower"));
        }
    }

    @Test
    void aThirdPartyPluginFromAnExtraDirectoryContributesItsExtension() throws IOException {
        Path bundled = stageBundledPlugins(temp.resolve("plugins"));
        Path extra = temp.resolve("extra");
        new PluginJarBuilder().plugin("shiny", "2.3.0", ">=0.1.0")
                .source("org.example.shiny.ShinyMethod", PluginJarBuilder.methodSource("org.example.shiny", "ShinyMethod", "shiny", ""))
                .build(extra.resolve("shiny-2.3.0.jar"));
        try (PluginRegistry registry = PluginRegistry.load(List.of(bundled, extra), VERSION)) {
            assertEquals(List.of(), registry.problems());
            Discovered<? extends Identified> shiny = registry.allExtensions().get(ExtensionPoints.METHOD).stream()
                    .filter(d -> d.id().equals("shiny")).findFirst().orElseThrow();
            assertEquals("shiny@2.3.0", shiny.origin());
            assertEquals(extra.resolve("shiny-2.3.0.jar"), shiny.source());
        }
    }

    @Test
    void aSecondPluginWithTheSameIdIsRejected() throws IOException {
        Path dir = stageBundledPlugins(temp.resolve("plugins"));
        Path extra = temp.resolve("extra");
        new PluginJarBuilder().plugin("lora", "9.0.0", ">=0.1.0")
                .source("org.example.copy.CopyMethod", PluginJarBuilder.methodSource("org.example.copy", "CopyMethod", "lora-copy", ""))
                .build(extra.resolve("lora-copy.jar"));
        try (PluginRegistry registry = PluginRegistry.load(List.of(dir, extra), VERSION)) {
            assertEquals(1, registry.problems().size());
            assertTrue(registry.problems().get(0).line().contains("same id"), registry.problems().get(0).line());
        }
    }
}
