package org.peft4j.runner.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a plugin jar from Java sources at test time, outside the reactor, the way a third party
 * would: compiled against the framework API on the test classpath (PF4J's annotation processor
 * writes the extension index), packed with a PF4J manifest.
 */
public final class PluginJarBuilder {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final Map<String, String> extraEntries = new LinkedHashMap<>();

    /** Adds a source file by fully qualified class name. */
    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Sets a manifest attribute such as {@code Plugin-Id}. */
    public PluginJarBuilder manifest(String key, String value) {
        manifest.put(key, value);
        return this;
    }

    /** Adds or replaces a raw jar entry (for example a hand-written extension index). */
    public PluginJarBuilder entry(String path, String content) {
        extraEntries.put(path, content);
        return this;
    }

    /** The usual manifest of a plugin with this id that requires {@code requires}. */
    public PluginJarBuilder plugin(String id, String version, String requires) {
        return manifest("Plugin-Id", id).manifest("Plugin-Version", version).manifest("Plugin-Requires", requires)
                .manifest("Plugin-Provider", "a third party").manifest("Plugin-Description", "test plugin " + id);
    }

    /** Compiles the sources and writes the jar to {@code jar}. */
    public Path build(Path jar) throws IOException {
        Path work = Files.createTempDirectory("plugin-src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        if (!sources.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                    "--release", "17"));
            for (Map.Entry<String, String> s : sources.entrySet()) {
                Path file = work.resolve("src").resolve(s.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, s.getValue());
                args.add(file.toString());
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            StringWriter log = new StringWriter();
            int rc = compiler.run(null, null, null, args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException("test plugin sources did not compile: " + log);
            }
        }
        for (Map.Entry<String, String> e : extraEntries.entrySet()) {
            Path target = classes.resolve(e.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, e.getValue());
        }
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf);
                Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(p));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The source of a minimal PEFT method extension with id {@code id} whose adapter adapts nothing. */
    public static String methodSource(String pkg, String className, String id, String constructorBody) {
        return ("package %s;\n"
                + "import java.util.List;\n"
                + "import org.peft4j.api.config.HyperParameter;\n"
                + "import org.peft4j.api.config.HyperParameters;\n"
                + "import org.peft4j.api.graph.LinearLayer;\n"
                + "import org.peft4j.api.method.*;\n"
                + "@org.pf4j.Extension\n"
                + "public class %s implements PeftMethod {\n"
                + "  public %s() { %s }\n"
                + "  public String id() { return \"%s\"; }\n"
                + "  public String description() { return \"third-party test method\"; }\n"
                + "  public List<HyperParameter<?>> hyperParameters() {\n"
                + "    return List.of(HyperParameter.ofDouble(\"strength\", 0.5, \"how strong it is\"));\n"
                + "  }\n"
                + "  public Adapter configure(HyperParameters p) {\n"
                + "    return new Adapter() {\n"
                + "      public List<LinearLayer> selectTargets(List<LinearLayer> layers) { return List.of(); }\n"
                + "      public void rewrite(LinearLayer layer, AdapterContext c) { }\n"
                + "      public float[] merge(LinearLayer l, float[] w, ParameterValues v) { return w.clone(); }\n"
                + "    };\n"
                + "  }\n"
                + "}\n").formatted(pkg, className, className, constructorBody, id);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
