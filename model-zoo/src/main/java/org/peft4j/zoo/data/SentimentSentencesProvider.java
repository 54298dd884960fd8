package org.peft4j.zoo.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.data.DataContext;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.data.DatasetProvider;
import org.peft4j.api.data.Example;
import org.pf4j.Extension;

/**
 * The UCI "Sentiment Labelled Sentences" (Kotzias et al., 2015; CC BY 4.0): 3 x 1000 review
 * sentences from IMDB, Yelp and Amazon, each labelled negative (0) or positive (1), bundled as
 * {@code org/peft4j/zoo/data/sentiment-sentences.tsv} (see the README beside it for source,
 * licence and how the file was made).
 *
 * <p>Loading: the sentences of the chosen {@code sources} are read; with {@code dedupe} (the
 * default) a sentence whose exact text already occurred is dropped (18 of the 3000, leaving
 * 2982). The split is 80 / 10 / 10 (train / validation / test), stratified by source and label:
 * each (source, label) group is shuffled by one {@link java.util.Random} seeded with
 * {@code split-seed} (42 by default), visiting groups in the order {@code amazon/0, amazon/1,
 * imdb/0, imdb/1, yelp/0, yelp/1}; the first {@code round(n/10)} of a group go to test, the next
 * {@code round(n/10)} to validation, the rest to train (see {@link Splits}). With the defaults
 * that gives 2384 / 299 / 299 examples. Metrics: accuracy, then binary F1 of "positive".
 */
@Extension
public final class SentimentSentencesProvider implements DatasetProvider {

    /** The bundled file, a classpath resource. */
    public static final String RESOURCE = "org/peft4j/zoo/data/sentiment-sentences.tsv";

    static final List<String> SOURCES_ALL = List.of("imdb", "yelp", "amazon");

    @SuppressWarnings("rawtypes")
    static final HyperParameter<java.util.List> SOURCES = HyperParameter.ofList("sources", SOURCES_ALL,
            "Which review sites to include: any of imdb, yelp, amazon.");
    static final HyperParameter<Boolean> DEDUPE = HyperParameter.ofBoolean("dedupe", true,
            "Drop sentences whose exact text occurred before (18 of the 3000).");
    static final HyperParameter<Integer> SPLIT_SEED = HyperParameter.ofInt("split-seed", 42,
            "The seed of the stratified 80/10/10 train/validation/test split.");

    private static final LabelMapping LABELS = new LabelMapping(List.of("0", "1"), List.of("negative", "positive"));

    @Override
    public String id() {
        return "sentiment-sentences";
    }

    @Override
    public String description() {
        return "UCI Sentiment Labelled Sentences (IMDB, Yelp, Amazon; CC BY 4.0), bundled; seeded 80/10/10 split.";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return List.of(SOURCES, DEDUPE, SPLIT_SEED);
    }

    @Override
    public Dataset load(HyperParameters params, DataContext context) throws IOException {
        List<String> sources = params.getList(SOURCES.key(), SOURCES_ALL);
        Set<String> wanted = new LinkedHashSet<>();
        for (String s : sources) {
            if (!SOURCES_ALL.contains(s)) {
                throw params.invalid(SOURCES.key(), "unknown source '" + s + "'; expected some of " + SOURCES_ALL);
            }
            wanted.add(s);
        }
        if (wanted.isEmpty()) {
            throw params.invalid(SOURCES.key(), "at least one source is required, from " + SOURCES_ALL);
        }
        boolean dedupe = params.get(DEDUPE);
        List<Sentence> sentences = read(wanted, dedupe);
        List<List<Sentence>> parts = Splits.stratified(sentences, s -> s.source + "/" + s.example.label(), params.get(SPLIT_SEED),
                0.1, 0.1);
        String name = wanted.size() == SOURCES_ALL.size() ? id() : id() + "/" + String.join("+", wanted);
        return new LabelledDataset(name, Dataset.TaskType.CLASSIFICATION, LABELS.names(), false, examples(parts.get(0)),
                examples(parts.get(2)), examples(parts.get(1)), List.of("accuracy", "f1"));
    }

    /** The sentences of the given sources in file order, without repeated texts when {@code dedupe}. */
    static List<Sentence> read(Set<String> sources, boolean dedupe) throws IOException {
        InputStream stream = SentimentSentencesProvider.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (stream == null) {
            throw new MalformedDataException(RESOURCE, 0, "the bundled resource is missing from the classpath");
        }
        List<Sentence> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (LineReader in = new LineReader(stream, RESOURCE)) {
            ColumnSpec.Bound bound = new ColumnSpec("text", "source", "label").bind(header(in), RESOURCE, 1);
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                RawExample raw = bound.extract(List.of(line.split("\t", -1)), in.lineNumber());
                String source = raw.pair();
                if (!SOURCES_ALL.contains(source)) {
                    throw new MalformedDataException(RESOURCE, in.lineNumber(), "unknown source '" + source + "'");
                }
                Example example = Example.classified(raw.text(), LABELS.indexOf(raw));
                if (sources.contains(source) && (!dedupe || seen.add(raw.text()))) {
                    out.add(new Sentence(source, example));
                }
            }
        }
        return out;
    }

    private static List<String> header(LineReader in) throws IOException {
        String header = in.readLine();
        if (header == null) {
            throw new MalformedDataException(RESOURCE, 0, "the bundled resource is empty");
        }
        return List.of(header.split("\t", -1));
    }

    private static List<Example> examples(List<Sentence> sentences) {
        return sentences.stream().map(s -> s.example).toList();
    }

    /** One bundled sentence and the site it came from. */
    record Sentence(String source, Example example) {
    }
}
