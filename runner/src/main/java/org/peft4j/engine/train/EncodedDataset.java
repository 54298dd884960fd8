package org.peft4j.engine.train;

import java.util.Objects;
import org.peft4j.api.data.Dataset.TaskType;

/**
 * A pre-tokenised split: {@code N} examples of a fixed sequence length {@code T}, as flat
 * row-major arrays, plus their labels. The training loop never sees text.
 *
 * <p>Contract: {@code inputIds} and {@code attentionMask} hold {@code N * T} values;
 * {@code tokenTypeIds} holds {@code N * T} values or is null (zeros are fed); classification
 * examples carry {@code labels} (class indices in {@code [0, numLabels)}), regression examples
 * {@code targets}. Arrays are owned by the dataset after construction and never modified.
 */
public final class EncodedDataset {

    private final TaskType task;
    private final int sequenceLength;
    private final int size;
    private final long[] inputIds;
    private final long[] attentionMask;
    private final long[] tokenTypeIds;
    private final int[] labels;
    private final float[] targets;

    private EncodedDataset(TaskType task, int sequenceLength, long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int[] labels,
            float[] targets) {
        this.task = task;
        if (sequenceLength < 1) {
            throw new IllegalArgumentException("sequence length must be >= 1, got " + sequenceLength);
        }
        this.sequenceLength = sequenceLength;
        this.inputIds = Objects.requireNonNull(inputIds, "inputIds");
        this.attentionMask = Objects.requireNonNull(attentionMask, "attentionMask");
        this.tokenTypeIds = tokenTypeIds;
        this.labels = labels;
        this.targets = targets;
        if (inputIds.length % sequenceLength != 0) {
            throw new IllegalArgumentException("input_ids hold " + inputIds.length + " values, not a multiple of the sequence length "
                    + sequenceLength);
        }
        this.size = inputIds.length / sequenceLength;
        if (size == 0) {
            throw new IllegalArgumentException("a dataset needs at least one example");
        }
        if (attentionMask.length != inputIds.length || (tokenTypeIds != null && tokenTypeIds.length != inputIds.length)) {
            throw new IllegalArgumentException("attention_mask and token_type_ids must hold " + inputIds.length + " values like input_ids");
        }
        int n = labels != null ? labels.length : targets.length;
        if (n != size) {
            throw new IllegalArgumentException(size + " examples but " + n + " labels");
        }
    }

    /** A classification split. */
    public static EncodedDataset classification(int sequenceLength, long[] inputIds, long[] attentionMask, long[] tokenTypeIds,
            int[] labels) {
        return new EncodedDataset(TaskType.CLASSIFICATION, sequenceLength, inputIds, attentionMask, tokenTypeIds,
                Objects.requireNonNull(labels, "labels"), null);
    }

    /** A regression split. */
    public static EncodedDataset regression(int sequenceLength, long[] inputIds, long[] attentionMask, long[] tokenTypeIds,
            float[] targets) {
        return new EncodedDataset(TaskType.REGRESSION, sequenceLength, inputIds, attentionMask, tokenTypeIds, null,
                Objects.requireNonNull(targets, "targets"));
    }

    public TaskType task() {
        return task;
    }

    /** T. */
    public int sequenceLength() {
        return sequenceLength;
    }

    /** N. */
    public int size() {
        return size;
    }

    /** The class index of example {@code i}; classification only. */
    public int label(int i) {
        return labels[i];
    }

    /** The target of example {@code i}; regression only. */
    public float target(int i) {
        return targets[i];
    }

    long[] inputIds() {
        return inputIds;
    }

    long[] attentionMask() {
        return attentionMask;
    }

    long[] tokenTypeIds() {
        return tokenTypeIds;
    }

    /** Checks labels against the number of classes; throws naming the first bad example. */
    void checkLabels(int numLabels) {
        if (labels == null) {
            return;
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numLabels) {
                throw new IllegalArgumentException("example " + i + " has label " + labels[i] + ", expected 0.." + (numLabels - 1));
            }
        }
    }

    /** Feeds a content hash of the dataset into {@code md}. */
    void digest(java.security.MessageDigest md) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * 1024);
        for (long[] a : new long[][] {inputIds, attentionMask, tokenTypeIds == null ? new long[0] : tokenTypeIds}) {
            for (long v : a) {
                if (b.remaining() < 8) {
                    md.update(b.flip());
                    b.clear();
                }
                b.putLong(v);
            }
        }
        if (labels != null) {
            for (int v : labels) {
                if (b.remaining() < 8) {
                    md.update(b.flip());
                    b.clear();
                }
                b.putLong(v);
            }
        } else {
            for (float v : targets) {
                if (b.remaining() < 8) {
                    md.update(b.flip());
                    b.clear();
                }
                b.putLong(Float.floatToRawIntBits(v));
            }
        }
        md.update(b.flip());
    }
}
