package org.peft4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.data.Dataset.Split;
import org.peft4j.api.data.Example;
import org.peft4j.api.testing.MapHyperParameters;
import org.peft4j.zoo.DataContexts;

/**
 * Every GLUE task read from small files in the standard GLUE layout, written by the test in each
 * task's real column format.
 */
class GlueDatasetProviderTest {

    private static final int TRAIN_ROWS = 20;
    private static final int DEV_ROWS = 4;

    @TempDir
    Path glue;

    private final GlueDatasetProvider provider = new GlueDatasetProvider();

    /** The label value written in row {@code i} of a task's files. */
    private static String label(GlueTask task, int i) {
        return switch (task) {
            case STSB -> String.format(java.util.Locale.ROOT, "%.3f", (i % 11) * 0.5);
            case MNLI, MNLI_MM -> List.of("entailment", "neutral", "contradiction").get(i % 3);
            case QNLI, RTE -> i % 2 == 0 ? "entailment" : "not_entailment";
            default -> Integer.toString(i % 2);
        };
    }

    /** The header and row generator of a task file; null header for CoLA. */
    private static String header(GlueTask task, boolean dev) {
        return switch (task) {
            case COLA -> null;
            case SST2 -> "sentence\tlabel";
            case MRPC -> "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String";
            case STSB -> "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore";
            case QQP -> "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate";
            case MNLI, MNLI_MM -> "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\tsentence1_parse"
                    + "\tsentence2_parse\tsentence1\tsentence2\tlabel1" + (dev ? "\tlabel2\tlabel3\tlabel4\tlabel5" : "") + "\tgold_label";
            case QNLI -> "index\tquestion\tsentence\tlabel";
            case RTE, WNLI -> "index\tsentence1\tsentence2\tlabel";
        };
    }

    private static IntFunction<String> row(GlueTask task, String split, boolean dev) {
        return i -> {
            String a = split + " first \"text\" " + i;
            String b = split + " second text " + i;
            String l = label(task, i);
            return switch (task) {
                case COLA -> "gj04\t" + l + "\t" + (l.equals("0") ? "*" : "") + "\t" + a;
                case SST2 -> a + "\t" + l;
                case MRPC -> l + "\t" + (1000 + i) + "\t" + (2000 + i) + "\t" + a + "\t" + b;
                case STSB -> i + "\tmain-captions\tMSRvid\t2012test\t000" + i + "\tnone\tnone\t" + a + "\t" + b + "\t" + l;
                case QQP -> i + "\t" + (2 * i) + "\t" + (2 * i + 1) + "\t" + a + "\t" + b + "\t" + l;
                case MNLI, MNLI_MM -> i + "\t" + (31193 + i) + "\t" + i + "n\tgovernment\t( " + a + " )\t( " + b + " )\t(ROOT " + a
                        + ")\t(ROOT " + b + ")\t" + a + "\t" + b + "\t" + l + (dev ? "\t" + l + "\t" + l + "\t" + l + "\t" + l : "") + "\t" + l;
                case QNLI, RTE, WNLI -> i + "\t" + a + "\t" + b + "\t" + l;
            };
        };
    }

    private void writeTask(GlueTask task) throws IOException {
        Path dir = Files.createDirectories(glue.resolve(task.directory()));
        write(dir.resolve("train.tsv"), header(task, false), row(task, "train", false), TRAIN_ROWS);
        write(dir.resolve(task.devFile()), header(task, true), row(task, "dev", true), DEV_ROWS);
        // GLUE test files are unlabelled and must not be needed or read
        Files.writeString(dir.resolve("test.tsv"), "index\tsentence\n0\tno label here\n");
    }

    private static void write(Path file, String header, IntFunction<String> row, int rows) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (header != null) {
            sb.append(header).append('\n');
        }
        for (int i = 0; i < rows; i++) {
            sb.append(row.apply(i)).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private Dataset load(Object... params) throws IOException {
        return provider.load(MapHyperParameters.of(params), DataContexts.of(glue, glue));
    }

    @ParameterizedTest
    @EnumSource(GlueTask.class)
    void readsEveryTask(GlueTask task) throws IOException {
        writeTask(task);
        Dataset d = load("task", task.id());
        assertEquals("glue/" + task.id(), d.name());
        assertEquals(task.pairs(), d.pairs());
        assertEquals(task.metrics(), d.metrics());
        int train = d.split(Split.TRAIN).size();
        int validation = d.split(Split.VALIDATION).size();
        assertEquals(TRAIN_ROWS, train + validation);
        assertEquals(task == GlueTask.MNLI || task == GlueTask.MNLI_MM ? 3 : 2, validation);
        assertEquals(DEV_ROWS, d.split(Split.TEST).size());

        List<Example> test = d.split(Split.TEST);
        for (int i = 0; i < DEV_ROWS; i++) {
            Example x = test.get(i);
            assertEquals("dev first \"text\" " + i, x.text(), "text of dev row " + i);
            if (task.pairs()) {
                assertEquals("dev second text " + i, x.pair());
            } else {
                assertNull(x.pair());
            }
            if (task.regression()) {
                assertEquals(Dataset.TaskType.REGRESSION, d.taskType());
                assertTrue(d.labels().isEmpty());
                assertEquals(Double.parseDouble(label(task, i)), x.target(), 1e-12);
                assertEquals(-1, x.label());
            } else {
                assertEquals(Dataset.TaskType.CLASSIFICATION, d.taskType());
                assertEquals(task.labels().values().indexOf(label(task, i)), x.label());
            }
        }
    }

    @Test
    void labelNamesAndMetricsFollowTheTasks() throws IOException {
        for (GlueTask t : List.of(GlueTask.COLA, GlueTask.MRPC, GlueTask.MNLI, GlueTask.QNLI, GlueTask.QQP)) {
            writeTask(t);
        }
        assertEquals(List.of("unacceptable", "acceptable"), load("task", "cola").labels());
        assertEquals(List.of("matthews"), load("task", "CoLA").metrics());
        assertEquals(List.of("f1", "accuracy"), load("task", "mrpc").metrics());
        assertEquals(List.of("accuracy", "f1"), load("task", "qqp").metrics());
        assertEquals(List.of("entailment", "neutral", "contradiction"), load("task", "mnli").labels());
        assertEquals(List.of("entailment", "not_entailment"), load("task", "qnli").labels());
    }

    @Test
    void validationSplitIsSeededAndStratified() throws IOException {
        writeTask(GlueTask.SST2);
        Dataset a = load("task", "sst2");
        Dataset b = load("task", "sst2");
        assertEquals(a.split(Split.VALIDATION), b.split(Split.VALIDATION));
        assertEquals(1, a.split(Split.VALIDATION).stream().filter(x -> x.label() == 1).count());
        boolean differs = false;
        for (int seed = 1; seed < 6 && !differs; seed++) {
            differs = !a.split(Split.VALIDATION).equals(load("task", "sst2", "split-seed", seed).split(Split.VALIDATION));
        }
        assertTrue(differs, "other seeds should give another validation split");
        Dataset wide = load("task", "sst2", "validation-fraction", 0.5);
        assertEquals(10, wide.split(Split.VALIDATION).size());
    }

    @Test
    void dataDirectoryFromContextOrKey(@TempDir Path elsewhere) throws IOException {
        writeTask(GlueTask.RTE);
        Dataset viaKey = provider.load(MapHyperParameters.of("task", "rte", "data-dir", glue.toString()), DataContexts.of(null, elsewhere));
        assertEquals(TRAIN_ROWS + DEV_ROWS, viaKey.split(Split.TRAIN).size() + viaKey.split(Split.VALIDATION).size()
                + viaKey.split(Split.TEST).size());
        Dataset taskFolder = provider.load(MapHyperParameters.of("task", "rte", "data-dir", glue.resolve("RTE").toString()),
                DataContexts.of(null, elsewhere));
        assertEquals(DEV_ROWS, taskFolder.split(Split.TEST).size(), "the task's own folder as data directory");
        ConfigurationException none = assertThrows(ConfigurationException.class,
                () -> provider.load(MapHyperParameters.of("task", "rte"), DataContexts.of(null, elsewhere)));
        assertEquals("data-dir", none.key());
        ConfigurationException task = assertThrows(ConfigurationException.class, () -> load("task", "squad"));
        assertEquals("task", task.key());
        assertTrue(task.getMessage().contains("mrpc"), task.getMessage());
        MalformedDataException missing = assertThrows(MalformedDataException.class, () -> load("task", "wnli"));
        assertTrue(missing.getMessage().contains("WNLI"), missing.getMessage());
    }

    @Test
    void malformedRowsNameFileAndLine() throws IOException {
        writeTask(GlueTask.MRPC);
        Path train = glue.resolve("MRPC/train.tsv");
        List<String> lines = new ArrayList<>(Files.readAllLines(train));

        List<String> missingColumn = new ArrayList<>(lines);
        missingColumn.set(5, "1\t1\t2\tonly one sentence");
        Files.write(train, missingColumn);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> load("task", "mrpc"));
        assertEquals(train.toString(), e.source());
        assertEquals(6, e.line());
        assertTrue(e.getMessage().startsWith(train + ":6: expected 5 columns"), e.getMessage());

        List<String> unknownLabel = new ArrayList<>(lines);
        unknownLabel.set(3, "2\t1\t2\ta\tb");
        Files.write(train, unknownLabel);
        e = assertThrows(MalformedDataException.class, () -> load("task", "mrpc"));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("unknown label '2'"), e.getMessage());

        byte[] bad = (String.join("\n", lines.subList(0, 7)) + "\n1\t1\t2\tcaf").getBytes(StandardCharsets.UTF_8);
        byte[] withLatin1 = java.util.Arrays.copyOf(bad, bad.length + 4);
        withLatin1[bad.length] = (byte) 0xE9; // 'é' in Latin-1, invalid UTF-8 here
        withLatin1[bad.length + 1] = '\t';
        withLatin1[bad.length + 2] = 'b';
        withLatin1[bad.length + 3] = '\n';
        Files.write(train, withLatin1);
        e = assertThrows(MalformedDataException.class, () -> load("task", "mrpc"));
        assertEquals(8, e.line());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());

        Files.write(train, List.of("Quality\t#1 ID\t#2 ID\t#1 String\tSecond"));
        e = assertThrows(MalformedDataException.class, () -> load("task", "mrpc"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("no column '#2 String'"), e.getMessage());
    }

    @Test
    void stsbScoreMustBeANumber() throws IOException {
        writeTask(GlueTask.STSB);
        Path dev = glue.resolve("STS-B/dev.tsv");
        List<String> lines = new ArrayList<>(Files.readAllLines(dev));
        lines.set(2, lines.get(2).replaceAll("\t[^\t]*$", "\tfive"));
        Files.write(dev, lines);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> load("task", "stsb"));
        assertEquals(dev.toString(), e.source());
        assertEquals(3, e.line());
    }

    @Test
    void emptySplitIsAnError() throws IOException {
        writeTask(GlueTask.SST2);
        Files.writeString(glue.resolve("SST-2/dev.tsv"), "sentence\tlabel\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> load("task", "sst2"));
        assertTrue(e.getMessage().contains("test split would be empty"), e.getMessage());
        Files.writeString(glue.resolve("SST-2/train.tsv"), "sentence\tlabel\nonly one\t1\n");
        e = assertThrows(MalformedDataException.class, () -> load("task", "sst2"));
        assertTrue(e.getMessage().contains("split would be empty"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void mnliMatchedAndMismatchedReadDifferentDevFiles() throws IOException {
        writeTask(GlueTask.MNLI);
        writeTask(GlueTask.MNLI_MM);
        Files.writeString(glue.resolve("MNLI/dev_mismatched.tsv"), header(GlueTask.MNLI, true) + "\n"
                + row(GlueTask.MNLI, "mismatched", true).apply(0) + "\n");
        assertEquals(DEV_ROWS, load("task", "mnli").split(Split.TEST).size());
        Dataset mm = load("task", "mnli-mm");
        assertEquals(1, mm.split(Split.TEST).size());
        assertEquals("mismatched first \"text\" 0", mm.split(Split.TEST).get(0).text());
        assertNotEquals(load("task", "mnli").name(), mm.name());
    }
}
