package org.peft4j.runner.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.cli.Peft4jCli;
import org.peft4j.runner.config.ConfigLoader;
import org.peft4j.runner.plugins.Discovered;
import org.peft4j.runner.plugins.PluginJarBuilder;
import org.peft4j.runner.plugins.PluginRegistry;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * Keeps the architecture, plugin-writing and methods docs true to the code. Every fenced block of
 * {@code docs/architecture.md}, {@code docs/writing-a-plugin.md}, {@code docs/methods.md} and the
 * (IA)³ example's {@code README.md} is checked by its kind:
 * <ul>
 *   <li>{@code java} and {@code xml} blocks whose first line is {@code // excerpt of <path>} (or
 *       {@code <!-- excerpt of <path> -->}) must appear verbatim in that file of the repository;</li>
 *   <li>{@code java} blocks whose first line is {@code // compile} are compiled together against
 *       the test classpath (the framework API and PF4J);</li>
 *   <li>{@code yaml} blocks are complete comparison configs validated by {@link ConfigLoader} with the
 *       bundled plugins and the (IA)³ example plugin (compiled from its sources) loaded, unless the
 *       first line is {@code # fragment}, in which case they only have to parse;</li>
 *   <li>in {@code shell} blocks, each {@code peft4j ...} command line must parse with the real
 *       command line definition (subcommands and options exist);</li>
 *   <li>{@code mermaid} and {@code text} blocks are diagrams and output; any other kind fails.</li>
 * </ul>
 * Besides, for every extension a plugin contributes (the bundled plugins and the example), the docs
 * have a heading naming its id in backticks, and the table under that heading lists exactly its
 * hyperparameter keys with their current defaults.
 */
class DocSamplesTest {

    private static final List<String> DOCS = List.of("docs/architecture.md", "docs/writing-a-plugin.md", "docs/methods.md",
            "examples/plugins/ia3/README.md");
    private static final Pattern EXCERPT = Pattern.compile("^(?://|<!--)\\s*excerpt of (\\S+)\\s*(?:-->)?$");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|[^|]*\\|\\s*`([^`]*)`\\s*\\|.*$");

    private static Path root;
    private static Path pluginDir;
    private static String previousPluginsProperty;
    private static Peft4jRuntime runtime;

    /** One fenced block: the doc, the line of its opening fence, its kind and its lines. */
    record Block(String doc, int line, String kind, List<String> lines) {
        String where() {
            return doc + ":" + line;
        }

        String body() {
            return String.join("\n", lines.subList(1, lines.size()));
        }
    }

    @BeforeAll
    static void loadPlugins(@TempDir Path temp) throws IOException {
        root = repositoryRoot("docs/architecture.md");
        pluginDir = Files.createDirectories(temp.resolve("plugins"));
        Path sources = root.resolve("examples/plugins/ia3/src/main/java");
        PluginJarBuilder ia3 = new PluginJarBuilder().plugin("ia3", "1.0.0", ">=0.1.0");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String name = sources.relativize(f).toString().replace(java.io.File.separatorChar, '.');
                ia3.source(name.substring(0, name.length() - ".java".length()), Files.readString(f));
            }
        }
        ia3.build(pluginDir.resolve("ia3.jar"));
        previousPluginsProperty = System.getProperty("peft4j.plugins");
        System.setProperty("peft4j.plugins", System.getProperty("peft4j.test.plugins", "target/plugins"));
        runtime = Peft4jRuntime.start(List.of(pluginDir), null);
    }

    @AfterAll
    static void close() {
        if (runtime != null) {
            runtime.close();
        }
        if (previousPluginsProperty == null) {
            System.clearProperty("peft4j.plugins");
        } else {
            System.setProperty("peft4j.plugins", previousPluginsProperty);
        }
    }

    @Test
    void everyBlockOfTheDocsIsChecked(@TempDir Path temp) throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (String doc : DOCS) {
            blocks.addAll(blocks(doc));
        }
        assertTrue(blocks.size() > 10, "found only " + blocks.size() + " blocks");
        List<Block> compiled = new ArrayList<>();
        int checked = 0;
        for (Block b : blocks) {
            String first = b.lines().isEmpty() ? "" : b.lines().get(0).trim();
            switch (b.kind()) {
                case "java", "xml" -> {
                    Matcher m = EXCERPT.matcher(first);
                    if (m.matches()) {
                        checkExcerpt(b, m.group(1));
                    } else if (b.kind().equals("java") && first.equals("// compile")) {
                        compiled.add(b);
                    } else {
                        fail(b.where() + ": a " + b.kind() + " block must start with '// excerpt of <path>' or '// compile', found: " + first);
                    }
                }
                case "yaml" -> checkYaml(b, temp);
                case "shell" -> checkShell(b);
                case "mermaid", "text" -> {
                    assertFalse(b.lines().isEmpty(), b.where() + " is empty");
                }
                default -> fail(b.where() + ": unknown block kind '" + b.kind() + "' (java, xml, yaml, shell, mermaid, text)");
            }
            checked++;
        }
        compile(compiled, temp.resolve("classes"));
        assertEquals(blocks.size(), checked);
    }

    @Test
    void theHyperparameterTablesMatchThePlugins() throws IOException {
        Map<String, List<String>> docs = new LinkedHashMap<>();
        for (String doc : DOCS) {
            docs.put(doc, Files.readAllLines(root.resolve(doc)));
        }
        PluginRegistry registry = runtime.registry();
        int extensions = 0;
        for (List<Discovered<? extends Identified>> list : registry.allExtensions().values()) {
            for (Discovered<? extends Identified> d : list) {
                if (Discovered.SYSTEM.equals(d.pluginId())) {
                    continue;
                }
                checkTable(docs, d.extension());
                extensions++;
            }
        }
        assertTrue(extensions >= 8, "expected the bundled extensions and ia3, found " + extensions);
    }

    // ------------------------------------------------------------------ checks

    private static void checkExcerpt(Block b, String path) throws IOException {
        Path file = root.resolve(path).normalize();
        assertTrue(file.startsWith(root) && Files.isRegularFile(file), b.where() + ": the excerpt's file " + path + " does not exist");
        String text = Files.readString(file).replace("\r\n", "\n");
        String body = b.body();
        assertFalse(body.isBlank(), b.where() + ": empty excerpt");
        assertTrue(text.contains(body + "\n"), b.where() + ": this excerpt is no longer in " + path + ":\n" + body);
    }

    private static void checkYaml(Block b, Path temp) throws IOException {
        String first = b.lines().isEmpty() ? "" : b.lines().get(0).trim();
        String yaml = String.join("\n", b.lines()) + "\n";
        if (first.startsWith("# fragment")) {
            assertNotNull(new Yaml().load(yaml), b.where() + ": empty fragment");
            return;
        }
        Path file = temp.resolve(b.doc().replace('/', '_') + "-" + b.line() + ".yaml");
        Files.writeString(file, yaml);
        try {
            new ConfigLoader(runtime.catalog()).load(file, Map.of());
        } catch (RuntimeException e) {
            fail(b.where() + ": the config is invalid: " + e.getMessage(), e);
        }
    }

    private static void checkShell(Block b) {
        for (String line : b.lines()) {
            String command = line.trim();
            if (!command.startsWith("peft4j ")) {
                continue;
            }
            String[] args = command.substring("peft4j ".length()).trim().split("\\s+");
            try {
                new CommandLine(new Peft4jCli()).parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                fail(b.where() + ": '" + command + "' does not parse: " + e.getMessage(), e);
            }
        }
    }

    private static void compile(List<Block> blocks, Path classes) throws IOException {
        assertFalse(blocks.isEmpty(), "no '// compile' block in the docs");
        Path src = Files.createDirectories(classes.resolveSibling("doc-sources"));
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"), "--release",
                "17"));
        Pattern pkg = Pattern.compile("(?m)^package\\s+([\\w.]+);");
        Pattern type = Pattern.compile("(?m)^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");
        for (Block b : blocks) {
            String code = b.body();
            Matcher p = pkg.matcher(code);
            Matcher t = type.matcher(code);
            assertTrue(p.find() && t.find(), b.where() + ": a compiled sample needs a package and one public type");
            Path file = src.resolve(p.group(1).replace('.', '/')).resolve(t.group(1) + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, code + "\n");
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc = compiler.run(null, log, log, args.toArray(String[]::new));
        assertEquals(0, rc, "the docs' Java samples do not compile:\n" + log.toString(StandardCharsets.UTF_8));
    }

    private static void checkTable(Map<String, List<String>> docs, Identified extension) {
        String tag = "`" + extension.id() + "`";
        Map<String, String> declared = new LinkedHashMap<>();
        for (HyperParameter<?> p : extension.hyperParameters()) {
            declared.put(p.key(), String.valueOf(p.defaultValue()));
        }
        boolean found = false;
        for (Map.Entry<String, List<String>> doc : docs.entrySet()) {
            List<String> lines = doc.getValue();
            for (int i = 0; i < lines.size(); i++) {
                String heading = lines.get(i);
                if (!heading.startsWith("#") || !heading.contains(tag)) {
                    continue;
                }
                found = true;
                Map<String, String> documented = new LinkedHashMap<>();
                for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("#"); j++) {
                    Matcher row = ROW.matcher(lines.get(j));
                    if (row.matches()) {
                        documented.put(row.group(1), row.group(2));
                    }
                }
                assertEquals(declared, documented, doc.getKey() + ":" + (i + 1) + ": the hyperparameter table of " + tag
                        + " (key -> default) does not match the plugin");
            }
        }
        assertTrue(found, "no heading of docs " + DOCS + " names " + tag + "; document its hyperparameters under one");
    }

    /**
     * The repository root: the first of {@code peft4j.test.repoRoot} (or the working directory)
     * and its parents that holds {@code marker}.
     */
    static Path repositoryRoot(String marker) {
        Path start = Path.of(System.getProperty("peft4j.test.repoRoot", ".")).toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(marker))) {
                return p;
            }
        }
        throw new AssertionError("no " + marker + " in " + start + " or its parents");
    }

    /** The fenced blocks of one doc. */
    static List<Block> blocks(String doc) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve(doc));
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("```")) {
                continue;
            }
            String kind = l.substring(3).trim();
            assertFalse(kind.isEmpty(), doc + ":" + (i + 1) + ": a fenced block must name its kind");
            int start = i;
            List<String> body = new ArrayList<>();
            for (i = i + 1; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                body.add(lines.get(i));
            }
            assertTrue(i < lines.size(), doc + ":" + (start + 1) + ": unclosed block");
            blocks.add(new Block(doc, start + 1, kind, body));
        }
        return blocks;
    }
}
