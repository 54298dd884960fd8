package org.peft4j.zoo.models;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.api.model.ModelContext;
import org.peft4j.api.model.ModelProvider;
import org.peft4j.zoo.tokenizer.FoldedTokenizer;
import org.peft4j.zoo.tokenizer.HuggingFaceTextTokenizer;
import org.pf4j.Extension;

/**
 * {@code tiny-bert}: a small BERT encoder generated from a seed by {@link TinyBertGraph}, with
 * exactly the operator pattern and naming of the Hugging Face exports, for fast tests and smoke
 * runs. Its weights are random, not pre-trained.
 *
 * <p>The generated graph is written once as an ONNX file into the cache directory (named after
 * its configuration; rewritten only when its bytes differ) and read back with {@link ModelContext#graphReader()}, so it reaches the
 * engine exactly as the shipped exports do (upgraded to the engine's opset).
 *
 * <p>Tokenizer: the all-MiniLM-L6-v2 {@code tokenizer.json} (BERT uncased WordPiece, from the
 * MiniLM jar) with ids folded into the tiny vocabulary by {@link FoldedTokenizer} (special tokens
 * 0-4, other ids {@code 5 + id mod (vocab - 5)}); {@link EncoderModel#tokenizerFile()} is null,
 * since no tokenizer file produces the folded ids.
 *
 * <p>Hyperparameters: {@code layers} (2), {@code hidden} (32), {@code heads} (4),
 * {@code intermediate} (64), {@code vocab} (1000), {@code max-positions} (512, the longest
 * sequence), {@code seed} (42) and {@code weight-std} (0.1).
 */
@Extension
public final class TinyBertProvider implements ModelProvider {

    static final HyperParameter<Integer> LAYERS = HyperParameter.ofInt("layers", 2, "Encoder layers.");
    static final HyperParameter<Integer> HIDDEN = HyperParameter.ofInt("hidden", 32, "Hidden width, a multiple of heads.");
    static final HyperParameter<Integer> HEADS = HyperParameter.ofInt("heads", 4, "Attention heads.");
    static final HyperParameter<Integer> INTERMEDIATE = HyperParameter.ofInt("intermediate", 64, "Feed-forward width.");
    static final HyperParameter<Integer> VOCAB = HyperParameter.ofInt("vocab", 1000, "Vocabulary size the token ids are folded into.");
    static final HyperParameter<Integer> MAX_POSITIONS = HyperParameter.ofInt("max-positions", 512,
            "Position embeddings, the longest sequence the model takes.");
    static final HyperParameter<Integer> SEED = HyperParameter.ofInt("seed", 42, "Seed of the generated weights.");
    static final HyperParameter<Double> WEIGHT_STD = HyperParameter.ofDouble("weight-std", 0.1,
            "Standard deviation of the generated weights.");

    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    @Override
    public String id() {
        return "tiny-bert";
    }

    @Override
    public String description() {
        return "A small seeded random BERT in the Hugging Face export pattern (for tests), with a folded MiniLM tokenizer.";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return List.of(LAYERS, HIDDEN, HEADS, INTERMEDIATE, VOCAB, MAX_POSITIONS, SEED, WEIGHT_STD);
    }

    /** The generator configuration that {@code params} describe. */
    static TinyBertGraph.Config config(HyperParameters params) {
        for (HyperParameter<Integer> key : List.of(LAYERS, HIDDEN, HEADS, INTERMEDIATE, MAX_POSITIONS)) {
            if (params.get(key) < 1) {
                throw params.invalid(key.key(), "must be at least 1, got " + params.get(key));
            }
        }
        if (params.get(VOCAB) < 6) {
            throw params.invalid(VOCAB.key(), "must be at least 6 (five special tokens and one word), got " + params.get(VOCAB));
        }
        if (params.get(HIDDEN) % params.get(HEADS) != 0) {
            throw params.invalid(HIDDEN.key(), "must be a multiple of heads (" + params.get(HEADS) + "), got " + params.get(HIDDEN));
        }
        if (!(params.get(WEIGHT_STD) > 0)) {
            throw params.invalid(WEIGHT_STD.key(), "must be positive, got " + params.get(WEIGHT_STD));
        }
        return new TinyBertGraph.Config(params.get(LAYERS), params.get(HIDDEN), params.get(HEADS), params.get(INTERMEDIATE),
                params.get(VOCAB), params.get(MAX_POSITIONS), params.get(SEED), params.get(WEIGHT_STD));
    }

    @Override
    public EncoderModel load(HyperParameters params, ModelContext context) throws IOException {
        TinyBertGraph.Config config = config(params);
        Path cache = context.cacheDirectory();
        Files.createDirectories(cache);
        Path onnx = cache.resolve(String.format(Locale.ROOT, "tiny-bert-l%d-h%d-a%d-i%d-v%d-p%d-s%d-w%s.onnx", config.layers(),
                config.hidden(), config.heads(), config.intermediate(), config.vocab(), config.maxPositions(), config.seed(),
                Double.toString(config.weightStd())));
        byte[] bytes = OnnxProtoWriter.toBytes(TinyBertGraph.build(config));
        if (!Files.isRegularFile(onnx) || !java.util.Arrays.equals(Files.readAllBytes(onnx), bytes)) {
            Path temp = Files.createTempFile(cache, onnx.getFileName().toString() + ".", ".part");
            try {
                Files.write(temp, bytes);
                try {
                    Files.move(temp, onnx, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, onnx, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        Path tokenizerFile = ResourceCache.extract(TOKENIZER_RESOURCE, getClass().getClassLoader(), cache);
        Graph graph = context.graphReader().read(onnx);
        FoldedTokenizer tokenizer = new FoldedTokenizer(HuggingFaceTextTokenizer.open(tokenizerFile), config.vocab());
        try {
            return new OnnxEncoder(id(), "peft4j/tiny-bert", graph, onnx.toString(), OnnxEncoder.LAST_HIDDEN_STATE, tokenizer, null);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
