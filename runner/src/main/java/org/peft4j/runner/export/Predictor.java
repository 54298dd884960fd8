package org.peft4j.runner.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.model.TextTokenizer;
import org.peft4j.engine.ort.OrtRuntime;
import org.peft4j.runner.compare.EncodedSplits;
import org.peft4j.runner.compare.SplitInference;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.adapters.Dropouts;
import org.peft4j.engine.ort.GraphRunner;
import org.peft4j.engine.shape.ShapeInference;
import java.util.HashMap;
import org.peft4j.zoo.tokenizer.HuggingFaceTextTokenizer;

/**
 * A model that turns text into logits: either a merged ONNX model directory ({@link #merged}) or a
 * base model with a trained adapter ({@link #adapted}), with the tokenizer, sequence length and
 * labels it was trained with.
 *
 * <p>Contract: {@link #logits} returns row-major {@code [n, numOutputs]} logits for {@code n}
 * texts in input order, computed in batches of at most {@code batchSize}; a text (or pair) longer
 * than {@link #maxLength()} tokens is truncated as in training. Not thread-safe; close it to free
 * the ONNX Runtime session.
 */
public abstract class Predictor implements AutoCloseable {

    private static final List<String> BATCH_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");

    private final TextTokenizer tokenizer;
    private final int maxLength;
    private final Dataset.TaskType task;
    private final List<String> labels;

    Predictor(TextTokenizer tokenizer, int maxLength, Dataset.TaskType task, List<String> labels) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.maxLength = maxLength;
        this.task = Objects.requireNonNull(task, "task");
        this.labels = List.copyOf(labels);
    }

    /** One input: a text and an optional second text of a pair. */
    public record Text(String text, String pair) {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The sequence length texts are encoded to. */
    public int maxLength() {
        return maxLength;
    }

    /** Classification or regression. */
    public Dataset.TaskType task() {
        return task;
    }

    /** Class names by logit index; empty for regression. */
    public List<String> labels() {
        return labels;
    }

    /** The number of logits per text. */
    public int numOutputs() {
        return task == Dataset.TaskType.CLASSIFICATION ? labels.size() : 1;
    }

    /** The tokenizer. */
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Encodes {@code texts} at {@link #maxLength()}. */
    public EncodedSplits.Tokenized encode(List<Text> texts) {
        int n = texts.size();
        int t = maxLength;
        long[] ids = new long[n * t];
        long[] mask = new long[n * t];
        long[] types = new long[n * t];
        for (int i = 0; i < n; i++) {
            TextTokenizer.Encoding e = tokenizer.encode(texts.get(i).text(), texts.get(i).pair(), t);
            System.arraycopy(e.inputIds(), 0, ids, i * t, t);
            System.arraycopy(e.attentionMask(), 0, mask, i * t, t);
            System.arraycopy(e.tokenTypeIds(), 0, types, i * t, t);
        }
        return new EncodedSplits.Tokenized(task, t, ids, mask, types, new int[n], new float[n]);
    }

    /** The logits of {@code texts}, {@code [n, numOutputs]}. */
    public float[] logits(List<Text> texts, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (texts.isEmpty()) {
            return new float[0];
        }
        return logits(encode(texts), batchSize);
    }

    /** The logits of an encoded split, {@code [n, numOutputs]}. */
    public abstract float[] logits(EncodedSplits.Tokenized split, int batchSize);

    @Override
    public void close() {
    }

    /**
     * A base model with a trained adapter, run as the unmerged evaluation graph: the run's graph
     * with the trained values, dropout turned into the identity and extents specialised to
     * {@code [batchSize, maxLength]}, as the run's own test evaluation
     * ({@link SplitInference#logits}) runs it; a last partial batch is padded by repeating its last
     * row and cut off. One ONNX Runtime session per batch size is kept until {@link #close()}.
     */
    public static Predictor adapted(TrainedState state, ExtensionLookup lookup) throws IOException {
        RunGraphs.Rebuilt r = RunGraphs.rebuild(state.description(), lookup);
        Graph prepared = r.graph().copy();
        prepared.setName(r.graph().name() + "_inference");
        for (Map.Entry<String, float[]> e : state.values().entrySet()) {
            Tensor old = prepared.initializer(e.getKey());
            if (old == null) {
                throw new IOException("the rebuilt graph of run " + state.description().runId() + " has no tensor '" + e.getKey() + "'");
            }
            prepared.putInitializer(Tensor.ofFloats(e.getKey(), old.shape(), e.getValue()));
        }
        for (ValueInfo out : List.copyOf(prepared.outputs())) {
            prepared.removeOutput(out.name());
        }
        int k = r.numOutputs();
        String logitsName = r.head().logits();
        prepared.addOutput(new ValueInfo(logitsName, DataType.FLOAT, new long[] {-1, k}));
        Dropouts.toIdentity(prepared);
        for (ValueInfo in : List.copyOf(prepared.inputs())) {
            if (!BATCH_INPUTS.contains(in.name())) {
                prepared.removeInput(in.name());
            }
        }
        List<String> inputs = prepared.inputs().stream().map(ValueInfo::name).toList();
        return new Predictor(r.model().tokenizer(), state.description().maxLength(), RunGraphs.task(state.description()),
                state.description().labels()) {
            private final Map<String, GraphRunner> runners = new HashMap<>();

            @Override
            public float[] logits(EncodedSplits.Tokenized split, int batchSize) {
                int n = split.size();
                int t = split.length();
                int b = Math.max(1, Math.min(batchSize, n));
                GraphRunner runner = runners.computeIfAbsent(b + "x" + t, key -> {
                    Graph g = prepared.copy();
                    g.removeOutput(logitsName);
                    g.addOutput(new ValueInfo(logitsName, DataType.FLOAT, new long[] {b, k}));
                    Map<String, long[]> shapes = new LinkedHashMap<>();
                    inputs.forEach(in -> shapes.put(in, new long[] {b, t}));
                    ShapeInference.specialize(g, shapes);
                    return new GraphRunner(g);
                });
                float[] out = new float[n * k];
                long[][] sources = {split.inputIds(), split.attentionMask(), split.tokenTypeIds()};
                for (int start = 0; start < n; start += b) {
                    int rows = Math.min(b, n - start);
                    Map<String, Tensor> feed = new LinkedHashMap<>();
                    for (String in : inputs) {
                        long[] all = sources[BATCH_INPUTS.indexOf(in)];
                        long[] batch = new long[b * t];
                        for (int row = 0; row < b; row++) {
                            System.arraycopy(all, (start + Math.min(row, rows - 1)) * t, batch, row * t, t);
                        }
                        feed.put(in, Tensor.ofLongs(in, new long[] {b, t}, batch));
                    }
                    float[] v = runner.run(feed).get(logitsName).floats();
                    System.arraycopy(v, 0, out, start * k, rows * k);
                }
                return out;
            }

            @Override
            public void close() {
                runners.values().forEach(GraphRunner::close);
                runners.clear();
            }
        };
    }

    /**
     * A merged model directory written by {@link MergedModelExporter}; {@code lookup} is only used
     * when the directory has no tokenizer file (the card then names the model whose tokenizer to
     * use) and may be null otherwise.
     */
    public static Predictor merged(Path dir, ExtensionLookup lookup) throws IOException {
        ModelCard card = ModelCard.read(dir);
        Path modelFile = dir.resolve(MergedModelExporter.MODEL);
        if (!Files.isRegularFile(modelFile)) {
            throw new IOException(dir + " holds no " + MergedModelExporter.MODEL);
        }
        TextTokenizer tokenizer;
        if (card.tokenizer() != null) {
            tokenizer = HuggingFaceTextTokenizer.open(dir.resolve(card.tokenizer()));
        } else {
            if (lookup == null) {
                throw new IOException(dir.resolve(ModelCard.FILE) + " names no tokenizer file; the tokenizer of model '" + card.model()
                        + "' is needed");
            }
            tokenizer = lookup.model(card.model(), card.modelParams()).tokenizer();
        }
        Dataset.TaskType task = "regression".equals(card.task().toLowerCase(Locale.ROOT)) ? Dataset.TaskType.REGRESSION
                : Dataset.TaskType.CLASSIFICATION;
        OrtEnvironment env = OrtRuntime.environment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(modelFile.toString(), options);
        } catch (OrtException e) {
            throw new IOException(modelFile + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
        List<String> inputs = new ArrayList<>(session.getInputNames());
        return new Predictor(tokenizer, card.maxLength(), task, card.labels()) {
            @Override
            public float[] logits(EncodedSplits.Tokenized split, int batchSize) {
                int n = split.size();
                int t = split.length();
                int k = numOutputs();
                float[] out = new float[n * k];
                for (int start = 0; start < n; start += batchSize) {
                    int rows = Math.min(batchSize, n - start);
                    Map<String, long[]> data = Map.of("input_ids", split.inputIds(), "attention_mask", split.attentionMask(), "token_type_ids",
                            split.tokenTypeIds());
                    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                    try {
                        for (String name : inputs) {
                            long[] all = data.get(name);
                            if (all == null) {
                                throw new IllegalStateException(modelFile + ": unexpected model input '" + name + "'");
                            }
                            feed.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(all, start * t, rows * t).slice(), new long[] {rows, t}));
                        }
                        try (OrtSession.Result result = session.run(feed)) {
                            OnnxTensor logits = (OnnxTensor) result.get(RunGraphs.LOGITS)
                                    .orElseThrow(() -> new IllegalStateException(modelFile + ": the model has no output 'logits'"));
                            long[] shape = logits.getInfo().getShape();
                            if (shape.length != 2 || shape[0] != rows || shape[1] != k) {
                                throw new IllegalStateException(modelFile + ": logits of shape " + java.util.Arrays.toString(shape) + ", expected ["
                                        + rows + ", " + k + "] for the " + k + " output(s) that " + ModelCard.FILE + " describes");
                            }
                            float[] v = new float[rows * k];
                            logits.getFloatBuffer().get(v);
                            System.arraycopy(v, 0, out, start * k, rows * k);
                        }
                    } catch (OrtException e) {
                        throw new IllegalStateException(modelFile + ": ONNX Runtime failed: " + e.getMessage(), e);
                    } finally {
                        feed.values().forEach(OnnxTensor::close);
                    }
                }
                return out;
            }

            @Override
            public void close() {
                try {
                    session.close();
                } catch (OrtException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
