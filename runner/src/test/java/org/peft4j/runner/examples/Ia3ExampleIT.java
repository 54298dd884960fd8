package org.peft4j.runner.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.Peft4jVersion;
import org.peft4j.runner.cli.Peft4jCli;

/**
 * The out-of-tree (IA)³ example in {@code examples/plugins/ia3} builds on its own with Maven against
 * the framework artifacts this build just packaged, passes the contract suite in its own build,
 * appears in {@code peft4j plugins --plugins-dir}, and trains next to the bundled LoRA in a
 * one-epoch {@code peft4j compare} on the generated {@code tiny-bert} model.
 *
 * <p>It needs no {@code mvn install}: the example is built offline with a temporary local
 * repository that holds the just-packaged peft4j jars and POMs and links every other artifact to
 * the user's local repository (located from a jar on this test's classpath), so the user's
 * repository is only read. {@code mvn} must be on the {@code PATH} (or {@code maven.home} set).
 */
class Ia3ExampleIT {

    private static final String GROUP_PATH = "org/peft4j";

    @TempDir
    Path temp;

    @Test
    void theExampleBuildsOnItsOwnPassesTheContractLoadsAsAPluginAndTrainsInAComparison() throws Exception {
        Path root = DocSamplesTest.repositoryRoot("examples/plugins/ia3/pom.xml");
        Path example = root.resolve("examples/plugins/ia3");
        assertTrue(Files.isRegularFile(example.resolve("pom.xml")), "no example at " + example);
        String version = Peft4jVersion.get();

        Path repo = temp.resolve("repository");
        linkUserRepository(userRepository(), repo);
        try {
            buildAndLoad(root, example, version, repo);
        } finally {
            unlink(repo);
        }
    }

    private void buildAndLoad(Path root, Path example, String version, Path repo) throws Exception {
        install(repo, "peft4j-parent", version, root.resolve("pom.xml"), null, null);
        install(repo, "peft4j-framework-api", version, root.resolve("framework-api/pom.xml"),
                built(root.resolve("framework-api/target"), "peft4j-framework-api-" + version + ".jar"), null);
        install(repo, "peft4j-model-zoo", version, root.resolve("model-zoo/pom.xml"),
                built(root.resolve("model-zoo/target"), "peft4j-model-zoo-" + version + ".jar"), null);
        install(repo, "peft4j-runner", version, root.resolve("runner/pom.xml"), built(root.resolve("runner/target"), "peft4j-runner.jar"),
                built(root.resolve("runner/target"), "peft4j-runner-tests.jar"));

        Path project = copyProject(example, temp.resolve("ia3"));
        Path log = temp.resolve("maven.log");
        List<String> command = List.of(maven().toString(), "-B", "-o", "-q", "-Dmaven.repo.local=" + repo, "-Dpeft4j.version=" + version,
                "package");
        Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(4, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the example build took more than 4 minutes:\n" + tail(log));
        }
        assertEquals(0, process.exitValue(), "the example build failed: " + String.join(" ", command) + "\n" + tail(log));

        Path report = project.resolve("target/surefire-reports/TEST-org.example.peft4j.ia3.Ia3ContractTest.xml");
        assertTrue(Files.isRegularFile(report), "the example's build ran no contract test");
        String xml = Files.readString(report);
        assertTrue(xml.contains("errors=\"0\"") && xml.contains("failures=\"0\"") && !xml.contains("tests=\"0\""), xml.lines().limit(3).toList()
                .toString());

        Path jar = project.resolve("target/peft4j-ia3-1.0.0.jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("ia3", j.getManifest().getMainAttributes().getValue("Plugin-Id"));
            assertEquals(">=" + version, j.getManifest().getMainAttributes().getValue("Plugin-Requires"));
            assertNotNull(j.getEntry("META-INF/extensions.idx"), "PF4J's annotation processor wrote no extension index");
            String index = new String(j.getInputStream(j.getEntry("META-INF/extensions.idx")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(index.contains("org.example.peft4j.ia3.Ia3Method"), index);
            assertTrue(j.stream().noneMatch(e -> e.getName().startsWith("org/peft4j/")), "the plugin bundles framework classes");
        }

        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Peft4jCli.execute(new String[] {"plugins", "--plugins-dir", plugins.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, out + "\n" + err);
        String listing = out.toString();
        assertTrue(listing.contains("ia3 1.0.0 by example.org"), listing);
        assertTrue(listing.contains("feedforward-modules"), "the listing shows ia3's hyperparameters:\n" + listing);
        assertTrue(!listing.contains("problems:") || listing.lines().noneMatch(l -> l.contains("'ia3'")), listing);

        compareWithLora(plugins);
    }

    /** A one-epoch comparison of (IA)³ against the bundled LoRA on the generated tiny BERT. */
    private void compareWithLora(Path plugins) throws IOException {
        Path config = temp.resolve("ia3-vs-lora.yaml");
        Files.writeString(config, String.join("\n",
                "name: ia3-vs-lora",
                "output-dir: runs",
                "model:",
                "  id: tiny-bert",
                "datasets:",
                "  - id: sentiment-sentences",
                "seeds: [1]",
                "training:",
                "  epochs: 1",
                "  batch-size: 16",
                "  max-length: 16",
                "  learning-rate: 5e-3",
                "  max-train-examples: 64",
                "strategies:",
                "  - name: lora",
                "    method: lora",
                "    r: 2",
                "  - name: ia3",
                "    method: ia3",
                ""));
        String previous = System.getProperty("peft4j.plugins");
        System.setProperty("peft4j.plugins", System.getProperty("peft4j.test.plugins", "target/plugins"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try {
            code = Peft4jCli.execute(new String[] {"compare", config.toString(), "--plugins-dir", plugins.toString(), "--no-progress"},
                    new PrintWriter(out), new PrintWriter(err));
        } finally {
            if (previous == null) {
                System.clearProperty("peft4j.plugins");
            } else {
                System.setProperty("peft4j.plugins", previous);
            }
        }
        assertEquals(0, code, out + "\n" + err);
        Path results;
        try (Stream<Path> files = Files.walk(temp.resolve("runs"))) {
            results = files.filter(f -> f.getFileName().toString().equals("results.json")).findFirst()
                    .orElseThrow(() -> new AssertionError("the comparison wrote no results.json:\n" + out));
        }
        JsonObject json = JsonParser.parseString(Files.readString(results)).getAsJsonObject();
        Map<String, JsonObject> runs = new LinkedHashMap<>();
        for (JsonElement r : json.getAsJsonArray("runs")) {
            runs.put(r.getAsJsonObject().get("strategy").getAsString(), r.getAsJsonObject());
        }
        assertEquals(List.of("lora", "ia3"), List.copyOf(runs.keySet()));
        for (JsonObject run : runs.values()) {
            assertEquals("finished", run.get("status").getAsString(), run.toString());
        }
        JsonObject ia3 = runs.get("ia3");
        assertEquals("ia3@1.0.0", ia3.getAsJsonObject("provenance").get("methodOrigin").getAsString());
        // tiny-bert: 2 layers of hidden 32 (key, value) and FFN 64
        assertEquals(2 * (32 + 32 + 64), ia3.getAsJsonObject("parameters").get("initial").getAsLong());
    }

    /**
     * The local repository holding this test's dependencies: where the test classpath's JUnit jar
     * lies ({@code <repo>/org/junit/jupiter/junit-jupiter-api/<version>/...}), else
     * {@code ~/.m2/repository}.
     */
    static Path userRepository() {
        String marker = "/org/junit/jupiter/junit-jupiter-api/";
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String unix = entry.replace(java.io.File.separatorChar, '/');
            int at = unix.indexOf(marker);
            if (at > 0) {
                return Path.of(entry.substring(0, at));
            }
        }
        Path fallback = Path.of(System.getProperty("user.home"), ".m2", "repository");
        assertTrue(Files.isDirectory(fallback.resolve("org/pf4j/pf4j")), "cannot find the local Maven repository: no JUnit jar from one on "
                + "the classpath, and " + fallback + " holds no PF4J");
        return fallback;
    }

    /**
     * Fills {@code repo} with symbolic links to every entry of {@code userRepo} except
     * {@code org/peft4j}, which stays a real, empty directory for the artifacts of this build.
     */
    static void linkUserRepository(Path userRepo, Path repo) throws IOException {
        Files.createDirectories(repo.resolve(GROUP_PATH));
        try (Stream<Path> top = Files.list(userRepo)) {
            for (Path entry : top.toList()) {
                String name = entry.getFileName().toString();
                if (name.equals("org")) {
                    try (Stream<Path> orgs = Files.list(entry)) {
                        for (Path group : orgs.toList()) {
                            if (!group.getFileName().toString().equals("peft4j")) {
                                Files.createSymbolicLink(repo.resolve("org").resolve(group.getFileName().toString()), group);
                            }
                        }
                    }
                } else {
                    Files.createSymbolicLink(repo.resolve(name), entry);
                }
            }
        }
    }

    /** Removes the links {@link #linkUserRepository} made, so that nothing outside {@code repo} is touched when it is deleted. */
    static void unlink(Path repo) throws IOException {
        for (Path dir : List.of(repo, repo.resolve("org"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path e : entries.toList()) {
                    if (Files.isSymbolicLink(e)) {
                        Files.delete(e);
                    }
                }
            }
        }
    }

    /** Lays out one artifact of group {@code org.peft4j} the way {@code mvn install} does. */
    static void install(Path repo, String artifactId, String version, Path pom, Path jar, Path testJar) throws IOException {
        Path dir = Files.createDirectories(repo.resolve(GROUP_PATH).resolve(artifactId).resolve(version));
        Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifactId + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (testJar != null) {
            Files.copy(testJar, dir.resolve(artifactId + "-" + version + "-tests.jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path built(Path targetDir, String fileName) {
        Path file = targetDir.resolve(fileName);
        assertTrue(Files.isRegularFile(file), file + " is missing; this test runs in 'mvn verify' after every module is packaged");
        return file;
    }

    private static Path copyProject(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path rel = from.relativize(f);
                if (rel.getNameCount() > 0 && rel.getName(0).toString().equals("target")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest);
                }
            }
        }
        return to;
    }

    /** The {@code mvn} launcher from {@code maven.home} or the {@code PATH}. */
    static Path maven() {
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty("maven.home");
        if (home != null) {
            candidates.add(Path.of(home, "bin", "mvn"));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "mvn"));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("no mvn launcher on the PATH or under maven.home; looked at " + candidates));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
