package org.peft4j.zoo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.model.TextTokenizer.Encoding;

/** The MiniLM tokenizer.json (from the model jar on the test classpath) through the DJL binding. */
class HuggingFaceTextTokenizerTest {

    private static final long CLS = 101;
    private static final long SEP = 102;

    @TempDir
    static Path dir;

    static HuggingFaceTextTokenizer tokenizer;

    @BeforeAll
    static void open() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        try (InputStream in = HuggingFaceTextTokenizerTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, file);
        }
        tokenizer = HuggingFaceTextTokenizer.open(file);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static long id(String word) {
        Encoding e = tokenizer.encode(word, null, 3);
        assertEquals(3, e.length(), "'" + word + "' should be one word piece");
        return e.inputIds()[1];
    }

    @Test
    void singleSentenceIsClsTextSepThenPadding() {
        Encoding e = tokenizer.encode("Hello world", null, 8);
        assertArrayEquals(new long[] {CLS, id("hello"), id("world"), SEP, 0, 0, 0, 0}, e.inputIds());
        assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0, 0, 0}, e.attentionMask());
        assertArrayEquals(new long[8], e.tokenTypeIds());
        assertEquals(4, e.length());
        assertEquals(List.of("hello", "world"), tokenizer.tokenize("Hello world"));
    }

    @Test
    void pairIsClsASepBSepWithTypeIds() {
        Encoding e = tokenizer.encode("a", "b", 8);
        assertArrayEquals(new long[] {CLS, id("a"), SEP, id("b"), SEP, 0, 0, 0}, e.inputIds());
        assertArrayEquals(new long[] {0, 0, 0, 1, 1, 0, 0, 0}, e.tokenTypeIds());
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0, 0, 0}, e.attentionMask());
    }

    @Test
    void truncatesLongestFirstKeepingSpecialTokens() {
        Encoding single = tokenizer.encode("one two three four five six seven", null, 5);
        assertArrayEquals(new long[] {CLS, id("one"), id("two"), id("three"), SEP}, single.inputIds());
        assertEquals(5, single.length());

        // 7 slots: [CLS] a.. [SEP] b.. [SEP] leaves 4 for the texts; the longer text loses tokens first
        Encoding pair = tokenizer.encode("one two three four five", "six seven", 7);
        assertArrayEquals(new long[] {CLS, id("one"), id("two"), SEP, id("six"), id("seven"), SEP}, pair.inputIds());
        assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1, 1}, pair.tokenTypeIds());
    }

    @Test
    void lengthsAreIndependentAndValidated() {
        assertEquals(128, tokenizer.encode("x", null, 128).inputIds().length);
        assertEquals(4, tokenizer.encode("x", null, 4).inputIds().length);
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("x", null, 1));
        // the file configures truncation at 128; the requested length wins
        String longText = "word ".repeat(200);
        assertEquals(202, tokenizer.encode(longText, null, 256).length());
        assertEquals(64, tokenizer.encode(longText, null, 64).length());
    }

    @Test
    void missingOrBrokenFileIsNamed() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> HuggingFaceTextTokenizer.open(dir.resolve("none.json")));
        assertTrue(missing.getMessage().contains("none.json"), missing.getMessage());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"not\": \"a tokenizer\"}");
        IOException bad = assertThrows(IOException.class, () -> HuggingFaceTextTokenizer.open(broken));
        assertTrue(bad.getMessage().contains("broken.json"), bad.getMessage());
    }
}
