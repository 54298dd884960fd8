package org.peft4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.data.Dataset.Split;
import org.peft4j.api.data.Example;
import org.peft4j.api.testing.MapHyperParameters;
import org.peft4j.zoo.DataContexts;

/** The csv and jsonl providers on files the tests write. */
class LabelledFileProviderTest {

    @TempDir
    Path dir;

    private Dataset csv(Object... params) throws IOException {
        return new CsvDatasetProvider().load(MapHyperParameters.of(params), DataContexts.of(null, dir));
    }

    private Dataset jsonl(Object... params) throws IOException {
        return new JsonlDatasetProvider().load(MapHyperParameters.of(params), DataContexts.of(null, dir));
    }

    @Test
    void csvWithQuotingPairsAndGivenFiles() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "id,premise,hypothesis,gold\n"
                + "1,\"A man, a plan\",\"He said \"\"hi\"\"\",yes\n"
                + "2,\"two\nlines\",b,no\n"
                + "\n"
                + "3,c,d,yes\n");
        Files.writeString(dir.resolve("dev.csv"), "id,premise,hypothesis,gold\n4,e,f,no\n");
        Files.writeString(dir.resolve("test.csv"), "id,premise,hypothesis,gold\n5,g,h,yes\n6,i,j,maybe\n");
        Dataset d = csv("train", "train.csv", "validation", "dev.csv", "test", "test.csv", "text-column", "premise",
                "pair-column", "hypothesis", "label-column", "gold", "labels", List.of("no", "yes", "maybe"));
        assertEquals("csv/train", d.name());
        assertTrue(d.pairs());
        assertEquals(List.of("no", "yes", "maybe"), d.labels());
        assertEquals(List.of("accuracy"), d.metrics());
        List<Example> train = d.split(Split.TRAIN);
        assertEquals(3, train.size());
        assertEquals(new Example("A man, a plan", "He said \"hi\"", 1, Double.NaN), train.get(0));
        assertEquals("two\nlines", train.get(1).text());
        assertEquals(0, train.get(1).label());
        assertEquals(2, d.split(Split.TEST).get(1).label());
    }

    @Test
    void inferredLabelsAreSortedAndSplitsCarved() throws IOException {
        StringBuilder sb = new StringBuilder("text;label\n");
        for (int i = 0; i < 40; i++) {
            sb.append("sentence ").append(i).append(';').append(i % 2 == 0 ? "10" : "9").append('\n');
        }
        Files.writeString(dir.resolve("data.tsv"), sb.toString().replace(';', '\t'));
        Dataset d = csv("train", "data.tsv", "delimiter", "tab");
        assertEquals(List.of("9", "10"), d.labels(), "numeric labels sort numerically");
        assertEquals(List.of("accuracy", "f1"), d.metrics());
        assertEquals(4, d.split(Split.VALIDATION).size());
        assertEquals(4, d.split(Split.TEST).size());
        assertEquals(32, d.split(Split.TRAIN).size());
        assertNull(d.split(Split.TRAIN).get(0).pair());
    }

    @Test
    void csvErrorsNameFileAndLine() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "text,label\na,1\nb\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> csv("train", "bad.csv"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(f + ":3: expected 2 columns"), e.getMessage());

        Files.writeString(f, "text,label\na,1\n\"unterminated,0\nc,1\n");
        e = assertThrows(MalformedDataException.class, () -> csv("train", "bad.csv"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("unterminated"), e.getMessage());

        Files.writeString(f, "text,label\na,1\nb,0\nc,2\n");
        e = assertThrows(MalformedDataException.class, () -> csv("train", "bad.csv", "labels", List.of("0", "1")));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("unknown label '2'"), e.getMessage());

        Files.write(f, new byte[] {'t', 'e', 'x', 't', ',', 'l', 'a', 'b', 'e', 'l', '\n', 'a', ',', '1', '\n', (byte) 0xC3, ',', '1', '\n'});
        e = assertThrows(MalformedDataException.class, () -> csv("train", "bad.csv"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());

        Files.writeString(f, "sentence,label\na,1\n");
        e = assertThrows(MalformedDataException.class, () -> csv("train", "bad.csv"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("no column 'text'"), e.getMessage());

        e = assertThrows(MalformedDataException.class, () -> csv("train", "missing.csv"));
        assertTrue(e.getMessage().contains("missing.csv"), e.getMessage());

        Files.writeString(f, "text,label\na,1\n");
        e = assertThrows(MalformedDataException.class, () -> csv("train", "bad.csv"));
        assertTrue(e.getMessage().contains("split would be empty"), e.getMessage());

        ConfigurationException c = assertThrows(ConfigurationException.class, () -> csv("train", "bad.csv", "delimiter", ";;"));
        assertEquals("delimiter", c.key());
        c = assertThrows(ConfigurationException.class, () -> csv("train", "bad.csv", "metrics", List.of("pearson")));
        assertEquals("metrics", c.key());
    }

    @Test
    void jsonlClassificationAndRegression() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append("{\"sentence\": \"s").append(i).append("\", \"other\": \"o").append(i).append("\", \"score\": ")
                    .append(i * 0.25).append(", \"label\": ").append(i % 2 == 0 ? "true" : "false").append("}\n");
        }
        Files.writeString(dir.resolve("data.jsonl"), sb.toString());
        Dataset c = jsonl("train", "data.jsonl", "text-column", "sentence");
        assertEquals(List.of("false", "true"), c.labels());
        assertEquals(16, c.split(Split.TRAIN).size());

        Dataset r = jsonl("train", "data.jsonl", "text-column", "sentence", "pair-column", "other", "label-column", "score",
                "regression", true, "name", "scores");
        assertEquals("scores", r.name());
        assertEquals(Dataset.TaskType.REGRESSION, r.taskType());
        assertEquals(List.of("pearson", "spearman"), r.metrics());
        Example first = r.split(Split.TRAIN).get(0);
        assertEquals(Double.parseDouble(first.text().substring(1)) * 0.25, first.target(), 1e-12);
        assertEquals(-1, first.label());
    }

    @Test
    void jsonlErrorsNameFileAndLine() throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\"}\n", StandardCharsets.UTF_8);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> jsonl("train", "bad.jsonl"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith(f + ":2: missing field [label]"), e.getMessage());

        Files.writeString(f, "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\", \"label\": 1\n");
        e = assertThrows(MalformedDataException.class, () -> jsonl("train", "bad.jsonl"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

        Files.writeString(f, "{\"text\": \"a\", \"label\": 1}\n[1, 2]\n");
        e = assertThrows(MalformedDataException.class, () -> jsonl("train", "bad.jsonl"));
        assertTrue(e.getMessage().contains("expected a JSON object, found an array"), e.getMessage());

        Files.writeString(f, "{\"text\": [\"a\"], \"label\": 1}\n");
        e = assertThrows(MalformedDataException.class, () -> jsonl("train", "bad.jsonl"));
        assertEquals(1, e.line());

        Files.writeString(f, "{\"text\": \"a\", \"label\": \"high\"}\n");
        e = assertThrows(MalformedDataException.class, () -> jsonl("train", "bad.jsonl", "regression", true));
        assertTrue(e.getMessage().contains("not a finite number"), e.getMessage());
    }
}
