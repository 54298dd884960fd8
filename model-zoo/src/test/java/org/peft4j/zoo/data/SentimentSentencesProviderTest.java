package org.peft4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.data.Dataset.Split;
import org.peft4j.api.data.Example;
import org.peft4j.api.testing.MapHyperParameters;
import org.peft4j.zoo.DataContexts;

class SentimentSentencesProviderTest {

    private final SentimentSentencesProvider provider = new SentimentSentencesProvider();

    private Dataset load(Object... params) throws IOException {
        return provider.load(MapHyperParameters.of(params), DataContexts.of(null, Path.of(".")));
    }

    @Test
    void bundledFileHoldsThreeThousandBalancedSentences() throws IOException {
        List<SentimentSentencesProvider.Sentence> all = SentimentSentencesProvider.read(Set.of("imdb", "yelp", "amazon"), false);
        assertEquals(3000, all.size());
        for (String source : List.of("imdb", "yelp", "amazon")) {
            for (int label = 0; label < 2; label++) {
                int l = label;
                assertEquals(500, all.stream().filter(s -> s.source().equals(source) && s.example().label() == l).count(),
                        source + "/" + label);
            }
        }
        assertEquals(2982, SentimentSentencesProvider.read(Set.of("imdb", "yelp", "amazon"), true).size(), "18 exact duplicates");
    }

    @Test
    void defaultSplitHasTheDocumentedSizes() throws IOException {
        Dataset d = load();
        assertEquals("sentiment-sentences", d.name());
        assertEquals(List.of("negative", "positive"), d.labels());
        assertEquals(List.of("accuracy", "f1"), d.metrics());
        assertEquals(2384, d.split(Split.TRAIN).size());
        assertEquals(299, d.split(Split.VALIDATION).size());
        assertEquals(299, d.split(Split.TEST).size());
        Set<String> seen = new HashSet<>();
        for (Split s : Split.values()) {
            for (Example x : d.split(s)) {
                assertTrue(seen.add(x.text()), "sentence in two splits or twice: " + x.text());
            }
        }
        assertEquals(2982, seen.size());
        long positiveTest = d.split(Split.TEST).stream().filter(x -> x.label() == 1).count();
        assertTrue(Math.abs(positiveTest - 149) <= 3, "test split is stratified: " + positiveTest + " positive");
        assertEquals("A very, very, very slow-moving, aimless movie about a distressed, drifting young man.",
                d.split(Split.TRAIN).get(0).text());
    }

    @Test
    void splitIsReproducibleAndSeeded() throws IOException {
        assertEquals(load().split(Split.TEST), load().split(Split.TEST));
        assertTrue(!load().split(Split.TEST).equals(load("split-seed", 7).split(Split.TEST)));
    }

    @Test
    void withoutDedupeAndWithFewerSources() throws IOException {
        Dataset all = load("dedupe", false);
        assertEquals(3000, all.split(Split.TRAIN).size() + all.split(Split.VALIDATION).size() + all.split(Split.TEST).size());
        Dataset yelp = load("sources", List.of("yelp"), "dedupe", false);
        assertEquals("sentiment-sentences/yelp", yelp.name());
        assertEquals(100, yelp.split(Split.TEST).size());
        assertEquals(800, yelp.split(Split.TRAIN).size());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> load("sources", List.of("twitter")));
        assertEquals("sources", e.key());
    }
}
