package org.peft4j.zoo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.peft4j.api.model.TextTokenizer;

class FoldedTokenizerTest {

    /** Returns fixed ids, as a BERT tokenizer would for "[CLS] w w [SEP] [PAD]". */
    private static final TextTokenizer FIXED = (text, pair, maxLength) -> new TextTokenizer.Encoding(
            new long[] {101, 2023, 30521, 102, 0}, new long[] {1, 1, 1, 1, 0}, new long[] {0, 0, 1, 1, 0});

    @Test
    void foldsWordIdsAndKeepsSpecialTokensApart() {
        FoldedTokenizer t = new FoldedTokenizer(FIXED, 100);
        TextTokenizer.Encoding e = t.encode("x", null, 5);
        // 2023 -> 5 + 2023 mod 95 = 5 + 28; 30521 -> 5 + 30521 mod 95 = 5 + 26
        assertArrayEquals(new long[] {2, 33, 31, 3, 0}, e.inputIds());
        assertArrayEquals(new long[] {1, 1, 1, 1, 0}, e.attentionMask());
        assertArrayEquals(new long[] {0, 0, 1, 1, 0}, e.tokenTypeIds());
        assertEquals(1, t.fold(100));
        assertEquals(4, t.fold(103));
        assertEquals(5, t.fold(95));
        assertThrows(IllegalArgumentException.class, () -> new FoldedTokenizer(FIXED, 5));
    }
}
