package org.peft4j.engine.train;

/** Test access to package-private dataset arrays. */
public final class TestAccess {

    private TestAccess() {
    }

    /** {@code {input_ids, attention_mask}} of a dataset. */
    public static long[][] tokens(EncodedDataset d) {
        return new long[][] {d.inputIds(), d.attentionMask()};
    }
}
