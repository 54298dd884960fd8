package org.peft4j.zoo.tokenizer;

import java.util.Objects;
import org.peft4j.api.model.TextTokenizer;

/**
 * A tokenizer for a small generated vocabulary: it tokenizes with a real tokenizer and folds the
 * ids into {@code vocabSize} slots, keeping the BERT special tokens apart.
 *
 * <p>Contract: encodings equal the wrapped tokenizer's (same length, attention mask and type ids),
 * with every id {@code i} replaced by {@code fold(i)}: the BERT ids {@code [PAD]=0, [UNK]=100,
 * [CLS]=101, [SEP]=102, [MASK]=103} map to 0, 1, 2, 3 and 4, and any other id to
 * {@code 5 + i mod (vocabSize - 5)}. Distinct words may share a folded id; that is the price of
 * a vocabulary small enough for fast tests. Thread-safe when the wrapped tokenizer is.
 */
public final class FoldedTokenizer implements TextTokenizer {

    private static final long[] SPECIAL = {0, 100, 101, 102, 103};

    private final TextTokenizer base;
    private final int vocabSize;

    /**
     * @param base the tokenizer whose ids are folded (a BERT WordPiece tokenizer)
     * @param vocabSize the folded vocabulary size, at least 6
     */
    public FoldedTokenizer(TextTokenizer base, int vocabSize) {
        this.base = Objects.requireNonNull(base, "base");
        if (vocabSize < SPECIAL.length + 1) {
            throw new IllegalArgumentException("a folded vocabulary needs at least " + (SPECIAL.length + 1) + " ids, got " + vocabSize);
        }
        this.vocabSize = vocabSize;
    }

    /** The folded id of {@code id}. */
    public long fold(long id) {
        for (int i = 0; i < SPECIAL.length; i++) {
            if (SPECIAL[i] == id) {
                return i;
            }
        }
        return SPECIAL.length + Math.floorMod(id, (long) (vocabSize - SPECIAL.length));
    }

    /** The folded vocabulary size. */
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public Encoding encode(String text, String pair, int maxLength) {
        Encoding e = base.encode(text, pair, maxLength);
        long[] ids = e.inputIds().clone();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = fold(ids[i]);
        }
        return new Encoding(ids, e.attentionMask(), e.tokenTypeIds());
    }
}
