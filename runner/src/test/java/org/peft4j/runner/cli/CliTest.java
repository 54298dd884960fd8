package org.peft4j.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.plugins.PluginJarBuilder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The command line end to end, with the real bundled plugins. */
@ExtendWith(StagedPlugins.class)
class CliTest {

    @TempDir
    static Path temp;

    record Outcome(int code, String out, String err) {
    }


    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Peft4jCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }

    static Path repoFile(String relative) {
        return Path.of(System.getProperty("peft4j.test.repoRoot", "..")).resolve(relative);
    }

    @Test
    void pluginsListsTheThreePluginsWithTheirFiveExtensionsAndHyperparameters() {
        Outcome o = run("plugins");
        assertEquals(0, o.code(), o.err());
        for (String id : new String[] {"lora 0.1.0", "elora 0.1.0", "aflora 0.1.0"}) {
            assertTrue(o.out().contains(id), id + " in\n" + o.out());
        }
        for (String ext : new String[] {"method    lora ", "method    elora ", "method    aflora ", "scorer    aflora-sensitivity",
                "scheduler aflora-cubic"}) {
            assertTrue(o.out().contains(ext), ext + " in\n" + o.out());
        }
        assertTrue(o.out().matches("(?s).*\\n      r\\s+integer\\s+default 8\\s.*"), "LoRA's rank with its default:\n" + o.out());
        assertTrue(o.out().contains("beta1"), o.out());
        assertTrue(!o.out().contains("problems:"), o.out());
    }

    @Test
    void aThirdPartyPluginDirectoryAddsItsExtension() throws IOException {
        Path extra = temp.resolve("third-party");
        new PluginJarBuilder().plugin("shiny", "2.3.0", ">=0.1.0")
                .source("org.example.shiny.ShinyMethod", PluginJarBuilder.methodSource("org.example.shiny", "ShinyMethod", "shiny", ""))
                .build(extra.resolve("shiny.jar"));
        Outcome o = run("plugins", "--verbose", "--plugins-dir", extra.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("shiny 2.3.0 by a third party [STARTED]"), o.out());
        assertTrue(o.out().contains("method    shiny"), o.out());
        assertTrue(o.out().contains("strength"), o.out());
        assertTrue(o.out().contains("loaded from " + extra.resolve("shiny.jar").toAbsolutePath()), o.out());
    }

    @Test
    void validatePrintsThePlanOfAnExample() {
        Outcome o = run("validate", repoFile("examples/scheduler-ablation.yaml").toString());
        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("plan: 2 strategies x 1 dataset(s) x 1 seed(s) = 2 run(s)"), o.out());
        assertTrue(o.out().contains("scheduler freeze-at-epoch"), o.out());
        assertTrue(o.out().contains("config is valid"), o.out());
    }

    static java.util.stream.Stream<String> exampleConfigs() throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(repoFile("examples"))) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
            assertTrue(names.containsAll(List.of("quickstart.yaml", "reproduce.yaml", "reproduce-sweep.yaml")), names.toString());
            return names.stream();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("exampleConfigs")
    void everyExampleConfigValidates(String example) {
        Outcome o = run("validate", repoFile("examples/" + example).toString());
        assertEquals(0, o.code(), example + ":\n" + o.out() + o.err());
        assertTrue(o.out().contains("config is valid"), o.out());
    }

    @Test
    void thePaperRecipeGivesEachGlueTaskItsOwnEpochsAndLearningRates() {
        Outcome o = run("validate", repoFile("examples/paper-glue.yaml").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("aflora/glue-mrpc/seed-42  (20 epoch(s), lr 0.01, head lr 0.08)"), o.out());
        assertTrue(o.out().contains("lora/glue-stsb/seed-42  (20 epoch(s), lr 0.02, head lr 0.02)"), o.out());
    }

    @Test
    void aTypoInAKeyFailsWithExitCodeTwoAndNamesTheKey() throws IOException {
        String yaml = Files.readString(repoFile("examples/quickstart.yaml")).replace("    r: 8\n", "    rank: 8\n");
        Path bad = Files.writeString(temp.resolve("typo.yaml"), yaml);
        Outcome o = run("validate", bad.toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains(bad + ": strategies[0].rank: unknown key for method 'lora'"), o.err());
        assertTrue(!o.err().contains("\tat "), "no stack trace: " + o.err());
    }

    @Test
    void anUnknownMethodFailsWithExitCodeTwoAndListsTheAvailableMethods() throws IOException {
        String yaml = Files.readString(repoFile("examples/quickstart.yaml")).replace("method: elora", "method: vera");
        Path bad = Files.writeString(temp.resolve("unknown.yaml"), yaml);
        Outcome o = run("validate", bad.toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("strategies[1].method: unknown method 'vera'; available: "), o.err());
        assertTrue(o.err().contains("elora") && o.err().contains("aflora"), o.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("validate").code());
        assertEquals(2, run("no-such-command").code());
        assertEquals(0, run("--help").code());
        assertEquals(0, run("compare", "--help").code());
    }
}
