package org.peft4j.plugins.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.ParameterCounts;
import org.peft4j.api.testing.LinearModels;
import org.peft4j.api.testing.MapHyperParameters;
import org.peft4j.api.testing.RecordingAdapterContext;

class LoraMethodTest {

    private final LoraMethod method = new LoraMethod();

    @Test
    void declaresEveryHyperParameterWithDefaultAndDescription() {
        assertEquals("lora", method.id());
        Map<String, Object> defaults = new java.util.HashMap<>();
        Set<String> keys = new HashSet<>();
        for (HyperParameter<?> p : method.hyperParameters()) {
            assertTrue(keys.add(p.key()), "duplicate key " + p.key());
            assertFalse(p.description().isBlank(), p.key());
            assertTrue(p.defaultValue() != null, p.key() + " has no default");
            defaults.put(p.key(), p.defaultValue());
        }
        assertEquals(Set.of("r", "alpha", "dropout", "use-rslora", "targets", "exclude", "rank-pattern", "alpha-pattern"), keys);
        assertEquals(8, defaults.get("r"));
        assertEquals(8.0, defaults.get("alpha"));
        assertEquals(0.0, defaults.get("dropout"));
        assertEquals(false, defaults.get("use-rslora"));
        assertEquals(List.of("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"),
                defaults.get("targets"));
        assertEquals(List.of(), defaults.get("exclude"));
        assertEquals(Map.of(), defaults.get("rank-pattern"));
    }

    private static ConfigurationException configureFails(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return assertThrows(ConfigurationException.class,
                () -> new LoraMethod().configure(new MapHyperParameters("strategies[2].", m)));
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertEquals("strategies[2].r", configureFails("r", 0).key());
        assertEquals("strategies[2].r", configureFails("r", -3).key());
        assertEquals("strategies[2].alpha", configureFails("alpha", -1.0).key());
        assertEquals("strategies[2].alpha", configureFails("alpha", Double.NaN).key());
        assertEquals("strategies[2].dropout", configureFails("dropout", 1.0).key());
        assertEquals("strategies[2].dropout", configureFails("dropout", -0.1).key());
        assertEquals("strategies[2].rank-pattern", configureFails("rank-pattern", Map.of("query", 0)).key());
        assertEquals("strategies[2].rank-pattern", configureFails("rank-pattern", Map.of("query", 2.5)).key());
        assertEquals("strategies[2].rank-pattern", configureFails("rank-pattern", Map.of("query", "x")).key());
        assertEquals("strategies[2].rank-pattern", configureFails("rank-pattern", Map.of("(query", 4)).key());
        assertEquals("strategies[2].alpha-pattern", configureFails("alpha-pattern", Map.of("key", -2)).key());
        assertEquals("strategies[2].targets", configureFails("targets", List.of("layer[")).key());
        assertTrue(configureFails("r", 0).getMessage().contains("strategies[2].r"));
    }

    @Test
    void targetsThatMatchNothingFailNamingTheKey() {
        Adapter a = method.configure(new MapHyperParameters("s.", Map.of("targets", List.of("nothing_here"))));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> a.selectTargets(LinearModels.bertLayers(2, 8, 16)));
        assertEquals("s.targets", e.key());
        Adapter b = method.configure(new MapHyperParameters("s.", Map.of("rank-pattern", Map.of("querry", 4))));
        ConfigurationException e2 = assertThrows(ConfigurationException.class, () -> b.selectTargets(LinearModels.bertLayers(2, 8, 16)));
        assertEquals("s.rank-pattern", e2.key());
        assertTrue(e2.getMessage().contains("querry"), e2.getMessage());
    }

    @Test
    void defaultTargetsAreTheSixBertLayersAndSuffixesFollowHfPeft() {
        List<LinearLayer> layers = LinearModels.bertLayers(12, 16, 64);
        assertEquals(72, method.configure(MapHyperParameters.empty()).selectTargets(layers).size());
        // a suffix matches the whole last components: output.dense covers both output layers
        List<LinearLayer> out = method.configure(MapHyperParameters.of("targets", List.of("output.dense"))).selectTargets(layers);
        assertEquals(24, out.size());
        List<LinearLayer> ffnOut = method.configure(MapHyperParameters.of("targets", List.of("output.dense"), "exclude",
                List.of("attention.output.dense"))).selectTargets(layers);
        assertEquals(12, ffnOut.size());
        assertTrue(ffnOut.stream().allMatch(l -> l.in() == 64));
        // "value" must not match a module ending in "xvalue"; a regex must match the whole name
        List<LinearLayer> regex = method.configure(MapHyperParameters.of("targets", List.of("encoder\\.layer\\.0\\..*"))).selectTargets(layers);
        assertEquals(6, regex.size());
        assertEquals(layers.subList(0, 6), regex);
    }

    @Test
    void parameterCountOfTheSpecShape() {
        List<LinearLayer> layers = LinearModels.bertLayers(12, 768, 3072);
        Adapter adapter = method.configure(MapHyperParameters.empty());
        List<LinearLayer> targets = adapter.selectTargets(layers);
        RecordingAdapterContext ctx = new RecordingAdapterContext(new Graph("g", 17), 42);
        adapter.prepare(targets, ctx);
        targets.forEach(l -> adapter.rewrite(l, ctx));
        ParameterCounts counts = ParameterCounts.initial(ctx.parameters());
        assertEquals(1_327_104, counts.trainable());
        assertEquals(0, counts.freezable());
        assertEquals(0, counts.constants());
        assertEquals(144, ctx.parameters().size());
    }

    @Test
    void rankAndAlphaPatternsOverrideByModuleMostSpecificFirst() {
        LoraAdapter adapter = (LoraAdapter) method.configure(MapHyperParameters.of("r", 8, "alpha", 16,
                "rank-pattern", Map.of("query", 4, "layer\\.1\\.attention\\.self\\.query", 2),
                "alpha-pattern", Map.of("value", 3)));
        List<LinearLayer> layers = LinearModels.bertLayers(2, 16, 32);
        adapter.selectTargets(layers);
        assertEquals(4, adapter.rankOf("encoder.layer.0.attention.self.query"));
        assertEquals(2, adapter.rankOf("encoder.layer.1.attention.self.query"));
        assertEquals(8, adapter.rankOf("encoder.layer.1.attention.self.key"));
        assertEquals(16.0 / 4, adapter.scaleOf("encoder.layer.0.attention.self.query"), 0);
        assertEquals(3.0 / 8, adapter.scaleOf("encoder.layer.0.attention.self.value"), 0);
        assertEquals(2.0, adapter.scaleOf("encoder.layer.0.output.dense"), 0);

        RecordingAdapterContext ctx = new RecordingAdapterContext(new Graph("g", 17), 1);
        adapter.rewrite(layers.get(6), ctx);
        assertEquals(List.of(16L, 2L), List.of(ctx.parameters().get(0).shape()[0], ctx.parameters().get(0).shape()[1]));
        assertEquals(List.of(2L, 16L), List.of(ctx.parameters().get(1).shape()[0], ctx.parameters().get(1).shape()[1]));
    }

    @Test
    void rsLoraScalesByTheSquareRootOfTheRank() {
        LoraAdapter adapter = (LoraAdapter) method.configure(MapHyperParameters.of("r", 16, "alpha", 8, "use-rslora", true));
        assertEquals(8.0 / 4.0, adapter.scaleOf("encoder.layer.0.attention.self.query"), 0);
    }
}
