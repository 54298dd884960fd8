package org.peft4j.zoo.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The GLUE tasks as their standard TSV files lay them out.
 *
 * <p>Contract: {@link #directory()} is the task's folder in the GLUE data directory, holding
 * {@code train.tsv} and {@link #devFile()}; {@link #columns()} names the text, pair and label
 * columns of those files' header rows (CoLA has no header row; {@link #headerless()} gives its
 * four columns); {@link #labels()} maps the label values written in the files to class indices
 * (empty for the regression task STS-B); {@link #metrics()} lists the official dev metrics, the
 * primary first.
 */
public enum GlueTask {
    /** Corpus of Linguistic Acceptability: single sentences, acceptable or not; Matthews correlation. */
    COLA("cola", "CoLA", "dev.tsv", new ColumnSpec("sentence", null, "label"),
            List.of("source", "label", "original_label", "sentence"),
            new LabelMapping(List.of("0", "1"), List.of("unacceptable", "acceptable")), List.of("matthews")),
    /** Stanford Sentiment Treebank, binary: single sentences; accuracy. */
    SST2("sst2", "SST-2", "dev.tsv", new ColumnSpec("sentence", null, "label"), null,
            new LabelMapping(List.of("0", "1"), List.of("negative", "positive")), List.of("accuracy")),
    /** Microsoft Research Paraphrase Corpus: sentence pairs, paraphrase or not; F1 then accuracy. */
    MRPC("mrpc", "MRPC", "dev.tsv", new ColumnSpec("#1 String", "#2 String", "Quality"), null,
            new LabelMapping(List.of("0", "1"), List.of("not_equivalent", "equivalent")), List.of("f1", "accuracy")),
    /** Semantic Textual Similarity Benchmark: sentence pairs scored 0 to 5 (regression); Pearson then Spearman. */
    STSB("stsb", "STS-B", "dev.tsv", new ColumnSpec("sentence1", "sentence2", "score"), null, null,
            List.of("pearson", "spearman")),
    /** Quora Question Pairs: question pairs, duplicate or not; accuracy then F1. */
    QQP("qqp", "QQP", "dev.tsv", new ColumnSpec("question1", "question2", "is_duplicate"), null,
            new LabelMapping(List.of("0", "1"), List.of("not_duplicate", "duplicate")), List.of("accuracy", "f1")),
    /** Multi-Genre NLI, evaluated on the matched dev set; accuracy. */
    MNLI("mnli", "MNLI", "dev_matched.tsv", new ColumnSpec("sentence1", "sentence2", "gold_label"), null,
            LabelMapping.of(List.of("entailment", "neutral", "contradiction")), List.of("accuracy")),
    /** Multi-Genre NLI, evaluated on the mismatched dev set; accuracy. */
    MNLI_MM("mnli-mm", "MNLI", "dev_mismatched.tsv", new ColumnSpec("sentence1", "sentence2", "gold_label"), null,
            LabelMapping.of(List.of("entailment", "neutral", "contradiction")), List.of("accuracy")),
    /** Question-answering NLI: question and sentence, entailment or not; accuracy. */
    QNLI("qnli", "QNLI", "dev.tsv", new ColumnSpec("question", "sentence", "label"), null,
            LabelMapping.of(List.of("entailment", "not_entailment")), List.of("accuracy")),
    /** Recognizing Textual Entailment: sentence pairs, entailment or not; accuracy. */
    RTE("rte", "RTE", "dev.tsv", new ColumnSpec("sentence1", "sentence2", "label"), null,
            LabelMapping.of(List.of("entailment", "not_entailment")), List.of("accuracy")),
    /** Winograd NLI: sentence pairs, entailment (1) or not (0); accuracy. */
    WNLI("wnli", "WNLI", "dev.tsv", new ColumnSpec("sentence1", "sentence2", "label"), null,
            new LabelMapping(List.of("0", "1"), List.of("not_entailment", "entailment")), List.of("accuracy"));

    private final String id;
    private final String directory;
    private final String devFile;
    private final ColumnSpec columns;
    private final List<String> headerless;
    private final LabelMapping labels;
    private final List<String> metrics;

    GlueTask(String id, String directory, String devFile, ColumnSpec columns, List<String> headerless, LabelMapping labels,
            List<String> metrics) {
        this.id = id;
        this.directory = directory;
        this.devFile = devFile;
        this.columns = columns;
        this.headerless = headerless;
        this.labels = labels;
        this.metrics = metrics;
    }

    /** The task id used in configs, such as {@code mrpc} or {@code mnli-mm}. */
    public String id() {
        return id;
    }

    /** The task's folder in the GLUE data directory, such as {@code MRPC}. */
    public String directory() {
        return directory;
    }

    /** The labelled evaluation file, such as {@code dev.tsv}. */
    public String devFile() {
        return devFile;
    }

    /** The columns read from the TSV files. */
    public ColumnSpec columns() {
        return columns;
    }

    /** The column names of a file without a header row, or null when the files have one. */
    public List<String> headerless() {
        return headerless;
    }

    /** The label mapping, or null for regression. */
    public LabelMapping labels() {
        return labels;
    }

    /** Whether the task is a regression (STS-B). */
    public boolean regression() {
        return labels == null;
    }

    /** Whether examples are sentence pairs. */
    public boolean pairs() {
        return columns.pair() != null;
    }

    /** The official metrics, primary first. */
    public List<String> metrics() {
        return metrics;
    }

    /**
     * The task with id {@code id}, ignoring case and accepting the folder names too ({@code SST-2}).
     *
     * @throws IllegalArgumentException listing the known ids
     */
    public static GlueTask byId(String id) {
        String key = id.trim().toLowerCase(Locale.ROOT);
        for (GlueTask t : values()) {
            if (t.id.equals(key) || (t != MNLI_MM && t.directory.toLowerCase(Locale.ROOT).equals(key))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown GLUE task '" + id + "'; expected one of " + ids());
    }

    /** Every task id. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(GlueTask::id).toList();
    }
}
