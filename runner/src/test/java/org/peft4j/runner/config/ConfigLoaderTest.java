package org.peft4j.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.inject.TestExtensions;

class ConfigLoaderTest {

    @TempDir
    Path temp;

    private final ConfigLoader loader = new ConfigLoader(TestExtensions.catalog());

    static final String VALID = """
            name: demo
            model:
              id: tiny
              layers: 3
            datasets:
              - id: toy
                path: data/toy.tsv
            seeds: [1, 2]
            training:
              epochs: 2
              learning-rate: 4e-3
            head:
              pooling: mean
            report:
              reference: lora-r8
            defaults:
              targets: [query, key, value]
            strategies:
              - name: lora-r8
                method: lora
                r: 8
              - name: lora-r2
                method: lora
                r: 2
                targets: [query]
                training:
                  learning-rate: 1e-2
              - name: aflora
                method: aflora
                scheduler: freeze-at-epoch
                scheduler-params:
                  epoch: 1
            """;

    private Path write(String yaml) throws IOException {
        Path file = temp.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private ConfigFileException fails(String yaml, Map<String, String> overrides) throws IOException {
        Path file = write(yaml);
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> loader.load(file, overrides));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), "names the file: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    private ConfigFileException fails(String yaml) throws IOException {
        return fails(yaml, Map.of());
    }

    @Test
    void mergesDefaultsUnderEachStrategyAndResolvesThePlan() throws IOException {
        ComparisonPlan plan = loader.load(write(VALID), Map.of());
        assertEquals("demo", plan.name());
        assertEquals(3, plan.model().params().getInt("layers", 0));
        assertEquals(List.of(1L, 2L), plan.seeds());
        assertEquals("mean", plan.head().pooling());
        assertEquals("lora-r8", plan.referenceStrategy());
        assertEquals(Path.of("runs").toAbsolutePath(), plan.outputDirectory(), "runs/ in the working directory by default");
        assertEquals(3 * 1 * 2, plan.runs().size());
        assertEquals("lora-r2/toy/seed-2", plan.runs().get(3).id());

        ComparisonPlan.Strategy r8 = plan.strategies().get(0);
        assertEquals(List.of("query", "key", "value"), r8.method().params().getList("targets", null), "defaults merged under");
        assertEquals(8.0, r8.method().params().asMap().get("alpha"), "declared default shows in the effective values");
        assertEquals(0.004, r8.training().learningRate(), 1e-12);
        assertEquals(2, r8.training().epochs());

        ComparisonPlan.Strategy r2 = plan.strategies().get(1);
        assertEquals(List.of("query"), r2.method().params().getList("targets", null), "the strategy's own value wins");
        assertEquals(0.01, r2.training().learningRate(), 1e-12, "strategy training overrides merge over the section");
        assertEquals(2, r2.training().epochs());

        ComparisonPlan.Strategy aflora = plan.strategies().get(2);
        assertEquals("aflora-sensitivity", aflora.scorer().id(), "the method's default scorer");
        assertEquals("freeze-at-epoch", aflora.scheduler().id(), "an explicitly chosen scheduler");
        assertEquals(1, aflora.scheduler().params().getInt("epoch", 0));
        assertNull(r8.scorer());
    }

    @Test
    void datasetsCarryTheirOwnRecipeAndUniqueLabels() throws IOException {
        String yaml = VALID.replace("""
                  - id: toy
                    path: data/toy.tsv
                """, """
                  - id: toy
                    path: data/a.tsv
                    training:
                      epochs: 7
                      learning-rate: 5e-4
                  - id: toy
                    path: data/b.tsv
                """);
        ComparisonPlan plan = loader.load(write(yaml), Map.of());
        assertEquals(List.of("toy-1", "toy-2"), plan.datasets().stream().map(ComparisonPlan.DatasetChoice::label).toList());
        List<ComparisonPlan.Run> runs = plan.runs();
        assertEquals(3 * 2 * 2, runs.size());
        ComparisonPlan.Run r8OnA = runs.get(0);
        assertEquals("lora-r8/toy-1/seed-1", r8OnA.id());
        assertEquals(7, r8OnA.training().epochs(), "the dataset's recipe over the section");
        assertEquals(5e-4, r8OnA.training().learningRate(), 1e-12);
        assertEquals(2, runs.get(2).training().epochs(), "the other dataset keeps the section's recipe");
        ComparisonPlan.Run r2OnA = runs.get(4);
        assertEquals("lora-r2/toy-1/seed-1", r2OnA.id());
        assertEquals(1e-2, r2OnA.training().learningRate(), 1e-12, "the strategy's own value wins over the dataset's");
        assertEquals(7, r2OnA.training().epochs());
    }

    @Test
    void interpolatesEnvironmentAndSystemPropertiesWithDefaults() throws IOException {
        System.setProperty("peft4j.test.epochs", "5");
        try {
            String yaml = VALID.replace("epochs: 2", "epochs: ${sys:peft4j.test.epochs}")
                    .replace("path: data/toy.tsv", "path: ${env:PEFT4J_SURELY_UNSET_VARIABLE:-fallback/toy.tsv}");
            ComparisonPlan plan = loader.load(write(yaml), Map.of());
            assertEquals(5, plan.strategies().get(0).training().epochs());
            assertEquals("fallback/toy.tsv", plan.datasets().get(0).params().getString("path", null));
        } finally {
            System.clearProperty("peft4j.test.epochs");
        }
    }

    @Test
    void undefinedVariablesAreErrors() throws IOException {
        ConfigFileException e = fails(VALID.replace("path: data/toy.tsv", "path: ${env:PEFT4J_SURELY_UNSET_VARIABLE}"));
        assertTrue(e.getMessage().contains("datasets.path") && e.getMessage().contains("undefined"), e.getMessage());
    }

    @Test
    void commandLineOverridesWin() throws IOException {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("training.epochs", "1");
        overrides.put("strategies[1].r", "4");
        overrides.put("strategies[0].alpha", "16");
        ComparisonPlan plan = loader.load(write(VALID), overrides);
        assertEquals(1, plan.strategies().get(0).training().epochs());
        assertEquals(4, plan.strategies().get(1).method().params().getInt("r", 0));
        assertEquals(16.0, plan.strategies().get(0).method().params().getDouble("alpha", 0));
    }

    @Test
    void aTypoInAMethodKeyNamesTheKeyAndSuggestsTheRightOne() throws IOException {
        ConfigFileException e = fails(VALID.replace("    r: 2", "    rr: 2"));
        assertEquals("strategies[1].rr", e.key());
        assertTrue(e.getMessage().contains("unknown key for method 'lora'") && e.getMessage().contains("did you mean 'r'"), e.getMessage());
    }

    @Test
    void unknownMethodIdListsTheAvailableOnes() throws IOException {
        ConfigFileException e = fails(VALID.replace("method: aflora", "method: afloraa"));
        assertEquals("strategies[2].method", e.key());
        assertTrue(e.getMessage().contains("unknown method 'afloraa'") && e.getMessage().contains("available: lora, aflora"), e.getMessage());
    }

    @Test
    void unknownScorerSchedulerModelAndDatasetIds() throws IOException {
        assertEquals("strategies[2].scheduler", fails(VALID.replace("scheduler: freeze-at-epoch", "scheduler: linear")).key());
        assertEquals("model.id", fails(VALID.replace("id: tiny", "id: huge")).key());
        assertEquals("datasets[0].id", fails(VALID.replace("id: toy", "id: glue")).key());
    }

    @Test
    void wrongTypesNameTheKeyAndTheExpectedType() throws IOException {
        ConfigFileException e = fails(VALID.replace("    r: 8", "    r: eight"));
        assertEquals("strategies[0].r", e.key());
        assertTrue(e.getMessage().contains("expected an integer, found 'eight'"), e.getMessage());
        ConfigFileException t = fails(VALID.replace("epochs: 2", "epochs: [1, 2]"));
        assertTrue(t.key().endsWith("training.epochs"), t.key());
        ConfigFileException b = fails(VALID.replace("    r: 8", "    r: 8\n    use-rslora: maybe"));
        assertTrue(b.getMessage().contains("true or false"), b.getMessage());
    }

    @Test
    void invalidValuesAreRejected() throws IOException {
        assertTrue(fails(VALID.replace("epochs: 2", "epochs: 0")).getMessage().contains("training.epochs: must be at least 1"));
        assertEquals("head.pooling", fails(VALID.replace("pooling: mean", "pooling: max")).key());
        assertTrue(fails(VALID, Map.of("training.device", "tpu")).getMessage().contains("expected cpu or cuda"));
    }

    @Test
    void structuralErrors() throws IOException {
        assertEquals("modle", fails(VALID.replace("model:", "modle:")).key());
        assertTrue(fails(VALID.replace("model:", "modle:")).getMessage().contains("did you mean 'model'"));
        assertEquals("strategies[1].name", fails(VALID.replace("name: lora-r2", "name: lora-r8")).key());
        assertEquals("report.reference", fails(VALID.replace("reference: lora-r8", "reference: elora")).key());
        assertEquals("strategies[0].method", fails(VALID.replace("    method: lora\n    r: 8", "    r: 8")).key());
        assertEquals("name", fails(VALID.replace("name: demo", "name: my demo")).key());
        assertEquals("seeds", fails(VALID.replace("seeds: [1, 2]", "seeds: [1, 1]")).key());
        assertEquals("strategies", fails(VALID.substring(0, VALID.indexOf("strategies:"))).key());
        assertTrue(fails("name: [unclosed\n").getMessage().contains("is not valid YAML"));
        assertTrue(fails(VALID, Map.of("strategies[1].r]", "3")).getMessage().contains("not a key path"));
    }

    @Test
    void extensionsCheckTheirValuesDuringValidation() throws IOException {
        ConfigFileException rank = fails(VALID.replace("    r: 8", "    r: 0"));
        assertEquals("strategies[0].r", rank.key());
        assertTrue(rank.getMessage().contains("strategies[0].r: must be at least 1"), rank.getMessage());
        ConfigFileException odd = fails(VALID.replace("    r: 8", "    r: 13"));
        assertEquals("strategies[0].method", odd.key());
        assertTrue(odd.getMessage().contains("method 'lora' rejected its hyperparameters: thirteen is unlucky"), odd.getMessage());
        ConfigFileException epoch = fails(VALID.replace("      epoch: 1", "      epoch: -1"));
        assertEquals("strategies[2].scheduler-params.epoch", epoch.key());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = temp.resolve("nope.yaml");
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> loader.load(missing, Map.of()));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void theResolvedTreeHasNoDefaultsSection() throws IOException {
        ComparisonPlan plan = loader.load(write(VALID), Map.of());
        assertTrue(!plan.resolved().containsKey("defaults"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> strategies = (List<Map<String, Object>>) plan.resolved().get("strategies");
        assertEquals(3, strategies.size());
        assertTrue(strategies.get(0).containsKey("targets"));
    }
}
