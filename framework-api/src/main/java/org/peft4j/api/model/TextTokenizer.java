package org.peft4j.api.model;

/**
 * Turns text, or a pair of texts, into model inputs.
 *
 * <p>Contract: {@link #encode} truncates to at most {@code maxLength} tokens including special
 * tokens and pads to exactly {@code maxLength} (pad id {@code 0}, mask {@code 0}); a pair is
 * encoded as the model's tokenizer does ({@code [CLS] a [SEP] b [SEP]} with token type ids 0 and
 * 1 for BERT-style models). Implementations are thread-safe.
 */
public interface TextTokenizer {

    /**
     * @param text the first (or only) text; never null
     * @param pair the second text, or null
     * @param maxLength the fixed output length, at least 2
     */
    Encoding encode(String text, String pair, int maxLength);

    /**
     * One encoded example, all arrays of length {@code maxLength}.
     *
     * @param inputIds token ids
     * @param attentionMask 1 for tokens, 0 for padding
     * @param tokenTypeIds segment ids
     */
    record Encoding(long[] inputIds, long[] attentionMask, long[] tokenTypeIds) {
        /** The number of real (unpadded) tokens. */
        public int length() {
            int n = 0;
            for (long m : attentionMask) {
                n += (int) m;
            }
            return n;
        }
    }
}
