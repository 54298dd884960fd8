package org.peft4j.runner.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.data.Example;
import org.peft4j.api.model.TextTokenizer;
import org.peft4j.engine.train.EncodedDataset;

/**
 * A dataset's three splits, tokenised for one model at one sequence length.
 *
 * @param train the training split (possibly a fixed subset, see {@link #encode})
 * @param validation the validation split
 * @param test the test split
 */
public record EncodedSplits(Tokenized train, Tokenized validation, Tokenized test) {

    /** The seed of the subset drawn when a run caps its training examples; fixed so every run sees the same subset. */
    static final long SUBSET_SEED = 20240317L;

    /**
     * One tokenised split: row-major {@code [n, length]} token arrays and the labels or targets.
     *
     * @param task classification or regression
     * @param length the sequence length
     * @param inputIds token ids
     * @param attentionMask attention mask
     * @param tokenTypeIds segment ids
     * @param labels class indices (classification)
     * @param targets real targets (regression)
     */
    public record Tokenized(Dataset.TaskType task, int length, long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int[] labels,
            float[] targets) {

        /** The number of examples. */
        public int size() {
            return labels.length;
        }

        /** The split as the trainer consumes it. */
        public EncodedDataset toEncoded() {
            return task == Dataset.TaskType.CLASSIFICATION ? EncodedDataset.classification(length, inputIds, attentionMask, tokenTypeIds, labels)
                    : EncodedDataset.regression(length, inputIds, attentionMask, tokenTypeIds, targets);
        }
    }

    /**
     * Tokenises every split.
     *
     * @param dataset the dataset
     * @param tokenizer the model's tokenizer
     * @param maxLength the fixed sequence length
     * @param maxTrainExamples at most this many training examples (a fixed random subset); 0 for all
     */
    public static EncodedSplits encode(Dataset dataset, TextTokenizer tokenizer, int maxLength, int maxTrainExamples) {
        List<Example> train = dataset.split(Dataset.Split.TRAIN);
        if (maxTrainExamples > 0 && train.size() > maxTrainExamples) {
            List<Example> shuffled = new ArrayList<>(train);
            Collections.shuffle(shuffled, new Random(SUBSET_SEED));
            train = shuffled.subList(0, maxTrainExamples);
        }
        return new EncodedSplits(tokenize(train, dataset.taskType(), tokenizer, maxLength),
                tokenize(dataset.split(Dataset.Split.VALIDATION), dataset.taskType(), tokenizer, maxLength),
                tokenize(dataset.split(Dataset.Split.TEST), dataset.taskType(), tokenizer, maxLength));
    }

    /** Tokenises examples to {@code maxLength} tokens each. */
    public static Tokenized tokenize(List<Example> examples, Dataset.TaskType task, TextTokenizer tokenizer, int maxLength) {
        int n = examples.size();
        long[] ids = new long[n * maxLength];
        long[] mask = new long[n * maxLength];
        long[] types = new long[n * maxLength];
        int[] labels = new int[n];
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) {
            Example e = examples.get(i);
            TextTokenizer.Encoding enc = tokenizer.encode(e.text(), e.pair(), maxLength);
            System.arraycopy(enc.inputIds(), 0, ids, i * maxLength, maxLength);
            System.arraycopy(enc.attentionMask(), 0, mask, i * maxLength, maxLength);
            System.arraycopy(enc.tokenTypeIds(), 0, types, i * maxLength, maxLength);
            labels[i] = e.label();
            targets[i] = (float) e.target();
        }
        return new Tokenized(task, maxLength, ids, mask, types, labels, targets);
    }
}
