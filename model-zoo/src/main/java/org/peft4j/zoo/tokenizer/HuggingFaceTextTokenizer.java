package org.peft4j.zoo.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.peft4j.api.model.TextTokenizer;

/**
 * A {@link TextTokenizer} over a Hugging Face {@code tokenizer.json}, run by the native Hugging Face
 * tokenizers library that DJL bundles (no network access).
 *
 * <p>Contract: {@link #encode} adds the model's special tokens as the file's post-processor
 * defines them ({@code [CLS] a [SEP]} and {@code [CLS] a [SEP] b [SEP]} with token type ids 0 then
 * 1 for BERT-style models), truncates to {@code maxLength} tokens with the longest-first strategy
 * (for pairs, tokens are removed from the longer text first), and pads on the right to exactly
 * {@code maxLength} with id 0, attention mask 0 and type id 0, whatever padding or truncation the
 * file itself configures. One native tokenizer is built per distinct {@code maxLength} and kept
 * until {@link #close()}. Thread-safe.
 */
public final class HuggingFaceTextTokenizer implements TextTokenizer, AutoCloseable {

    private final Path file;
    private final Map<Integer, HuggingFaceTokenizer> byLength = new ConcurrentHashMap<>();

    private HuggingFaceTextTokenizer(Path file) {
        this.file = file;
    }

    /**
     * Opens the tokenizer in {@code tokenizerJson}.
     *
     * @throws IOException naming the file when it is missing or not a tokenizer the library reads
     */
    public static HuggingFaceTextTokenizer open(Path tokenizerJson) throws IOException {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IOException(tokenizerJson + ": no such tokenizer file; expected a Hugging Face tokenizer.json");
        }
        HuggingFaceTextTokenizer t = new HuggingFaceTextTokenizer(tokenizerJson);
        t.tokenizer(128); // fail now, naming the file, rather than at the first encode
        return t;
    }

    /** The tokenizer.json this tokenizer reads. */
    public Path file() {
        return file;
    }

    @Override
    public Encoding encode(String text, String pair, int maxLength) {
        Objects.requireNonNull(text, "text");
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2, got " + maxLength);
        }
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = tokenizer(maxLength);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        ai.djl.huggingface.tokenizers.Encoding e = pair == null ? tokenizer.encode(text) : tokenizer.encode(text, pair);
        long[] ids = e.getIds();
        long[] types = e.getTypeIds();
        long[] mask = e.getAttentionMask();
        int n = Math.min(ids.length, maxLength);
        long[] outIds = new long[maxLength];
        long[] outMask = new long[maxLength];
        long[] outTypes = new long[maxLength];
        for (int i = 0; i < n; i++) {
            outIds[i] = ids[i];
            outMask[i] = mask[i];
            outTypes[i] = types[i];
        }
        return new Encoding(outIds, outMask, outTypes);
    }

    /** The first 512 tokens of {@code text}, without special tokens, for inspection and tests. */
    public java.util.List<String> tokenize(String text) {
        try {
            return java.util.List.of(tokenizer(512).encode(text, false, false).getTokens());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private HuggingFaceTokenizer tokenizer(int maxLength) throws IOException {
        HuggingFaceTokenizer t = byLength.get(maxLength);
        if (t != null) {
            return t;
        }
        synchronized (byLength) {
            t = byLength.get(maxLength);
            if (t == null) {
                try {
                    t = HuggingFaceTokenizer.builder()
                            .optTokenizerPath(file)
                            .optAddSpecialTokens(true)
                            .optTruncation(true)
                            .optMaxLength(maxLength)
                            .optPadding(false)
                            .build();
                } catch (IOException | RuntimeException e) {
                    throw new IOException(file + ": not a Hugging Face tokenizer.json the tokenizers library can read: " + e.getMessage(), e);
                }
                byLength.put(maxLength, t);
            }
            return t;
        }
    }

    @Override
    public void close() {
        synchronized (byLength) {
            byLength.values().forEach(HuggingFaceTokenizer::close);
            byLength.clear();
        }
    }

    @Override
    public String toString() {
        return "HuggingFaceTextTokenizer[" + file + "]";
    }
}
