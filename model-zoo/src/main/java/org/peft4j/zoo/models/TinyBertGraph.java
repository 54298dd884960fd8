package org.peft4j.zoo.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;

/**
 * Generates small, seeded BERT encoders whose ONNX graph has exactly the operator pattern of the
 * Hugging Face BERT exports at opset 11 (the pattern of the MiniLM and BGE files the zoo ships), for
 * fast tests of everything that reads, adapts or differentiates encoder graphs.
 *
 * <p>The graph has the int64 inputs {@code input_ids}, {@code attention_mask} and
 * {@code token_type_ids} of symbolic shape {@code [batch, sequence]} and the output
 * {@code last_hidden_state} {@code [batch, sequence, hidden]}. As in the exports: the attention
 * mask becomes an additive bias through {@code Unsqueeze}, {@code Cast}, {@code Sub} and
 * {@code Mul}; position ids are a {@code Slice} of the {@code embeddings.position_ids} buffer with a
 * length computed by {@code Shape}, {@code Gather} and {@code Unsqueeze}; embeddings are
 * {@code Gather}s; every LayerNorm is spelled out as {@code ReduceMean, Sub, Pow, ReduceMean, Add,
 * Sqrt, Div, Mul, Add}; GELU is {@code x * (erf(x / sqrt 2) + 1) * 0.5}; attention heads are split
 * and merged with {@code Shape/Gather/Unsqueeze/Concat/Reshape/Transpose} and normalised with
 * {@code Softmax(axis=3)}; every linear layer is a {@code MatMul} with an anonymous weight
 * initializer {@code onnx::MatMul_<n>} stored {@code [in, out]} followed by an {@code Add} whose
 * first input is the named bias ({@code encoder.layer.<i>.attention.self.query.bias},
 * {@code ...key.bias}, {@code ...value.bias}, {@code ...attention.output.dense.bias},
 * {@code ...intermediate.dense.bias}, {@code ...output.dense.bias}). Constants are
 * {@code Constant} nodes and node and value names follow the exporter's
 * ({@code /encoder/layer.0/attention/self/query/MatMul}, {@code ..._output_0}).
 *
 * <p>Contract: the same {@link Config} always gives the same graph, weights included; the graph
 * is at opset 11 and topologically sorted.
 */
public final class TinyBertGraph {

    /**
     * The size and seed of a generated encoder.
     *
     * @param layers encoder layers, at least 1
     * @param hidden hidden width, a multiple of {@code heads}
     * @param heads attention heads
     * @param intermediate feed-forward width
     * @param vocab vocabulary size
     * @param maxPositions position-embedding rows (the longest sequence)
     * @param seed seed of the weights
     * @param weightStd standard deviation of the generated weights
     */
    public record Config(int layers, int hidden, int heads, int intermediate, int vocab, int maxPositions, long seed,
            double weightStd) {

        public Config {
            if (layers < 1 || hidden < 1 || heads < 1 || intermediate < 1 || vocab < 2 || maxPositions < 1) {
                throw new IllegalArgumentException("tiny BERT sizes must be positive (vocab at least 2): " + this);
            }
            if (hidden % heads != 0) {
                throw new IllegalArgumentException("hidden " + hidden + " is not a multiple of heads " + heads);
            }
            if (!(weightStd > 0)) {
                throw new IllegalArgumentException("weightStd must be positive, got " + weightStd);
            }
        }

        /** Two layers, hidden 32, four heads, feed-forward 64, vocabulary 100, 64 positions, seed 42. */
        public static Config small() {
            return new Config(2, 32, 4, 64, 100, 64, 42, 0.1);
        }

        /** This configuration with another seed. */
        public Config withSeed(long newSeed) {
            return new Config(layers, hidden, heads, intermediate, vocab, maxPositions, newSeed, weightStd);
        }
    }

    /** The number of token types (segments), as in BERT. */
    public static final int TYPE_VOCAB = 2;

    private final Config config;
    private final Graph graph;
    private final Random random;
    private int weightCounter = 700;

    private TinyBertGraph(Config config) {
        this.config = config;
        this.graph = new Graph("torch_jit", 11);
        this.random = new Random(config.seed());
    }

    /** The encoder graph of {@code config}. */
    public static Graph build(Config config) {
        Objects.requireNonNull(config, "config");
        TinyBertGraph b = new TinyBertGraph(config);
        b.buildGraph();
        return b.graph;
    }

    private void buildGraph() {
        int h = config.hidden();
        for (String in : List.of("input_ids", "attention_mask", "token_type_ids")) {
            graph.addInput(new ValueInfo(in, DataType.INT64, new long[] {-1, -1}));
        }
        graph.putInitializer(weights("embeddings.word_embeddings.weight", config.vocab(), h));
        graph.putInitializer(weights("embeddings.position_embeddings.weight", config.maxPositions(), h));
        graph.putInitializer(weights("embeddings.token_type_embeddings.weight", TYPE_VOCAB, h));
        long[] positions = new long[config.maxPositions()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        graph.putInitializer(Tensor.ofLongs("embeddings.position_ids", new long[] {1, positions.length}, positions));

        // extended attention mask: (1 - mask[:, None, None, :]) * -10000
        String m1 = node("/Unsqueeze", "Unsqueeze", List.of("attention_mask"), Attribute.ints("axes", 1));
        String m2 = node("/Unsqueeze_1", "Unsqueeze", List.of(m1), Attribute.ints("axes", 2));
        String mf = node("/Cast", "Cast", List.of(m2), new Attribute.Int("to", DataType.FLOAT.onnxCode()));
        String inv = node("/Sub", "Sub", List.of(constFloat("/Constant", 1.0f), mf));
        String mask = node("/Mul", "Mul", List.of(inv, constFloat("/Constant_1", -10000.0f)));

        // embeddings
        String e = "/embeddings";
        String shape = node(e + "/Shape", "Shape", List.of("input_ids"));
        String seqLen = node(e + "/Gather", "Gather", List.of(shape, constLong(e + "/Constant", 1)), new Attribute.Int("axis", 0));
        String seqLen1 = node(e + "/Unsqueeze", "Unsqueeze", List.of(seqLen), Attribute.ints("axes", 0));
        String posIds = node(e + "/Slice", "Slice", List.of("embeddings.position_ids", constLongs(e + "/Constant_1", 0), seqLen1,
                constLongs(e + "/Constant_2", 1), constLongs(e + "/Constant_3", 1)));
        String words = node(e + "/word_embeddings/Gather", "Gather", List.of("embeddings.word_embeddings.weight", "input_ids"));
        String types = node(e + "/token_type_embeddings/Gather", "Gather", List.of("embeddings.token_type_embeddings.weight",
                "token_type_ids"));
        String sum = node(e + "/Add", "Add", List.of(words, types));
        String pos = node(e + "/position_embeddings/Gather", "Gather", List.of("embeddings.position_embeddings.weight", posIds));
        String sum1 = node(e + "/Add_1", "Add", List.of(sum, pos));
        String x = layerNorm(e + "/LayerNorm", "embeddings.LayerNorm", sum1);

        for (int l = 0; l < config.layers(); l++) {
            x = layer(l, x, mask);
        }
        // the exporter names the last value after the graph output
        Node last = graph.nodes().get(graph.nodes().size() - 1);
        graph.removeNode(last);
        List<String> outs = new ArrayList<>(List.of("last_hidden_state"));
        graph.addNode(new Node(last.name(), last.opType(), "", last.inputs(), outs, List.copyOf(last.attributes().values())));
        graph.addOutput(new ValueInfo("last_hidden_state", DataType.FLOAT, new long[] {-1, -1, h}));
    }

    private String layer(int l, String x, String mask) {
        int h = config.hidden();
        int heads = config.heads();
        int d = h / heads;
        String p = "/encoder/layer." + l;
        String n = "encoder.layer." + l;
        String q = linear(p + "/attention/self/query", n + ".attention.self.query", x, h, h);
        String k = linear(p + "/attention/self/key", n + ".attention.self.key", x, h, h);
        String s = p + "/attention/self";
        String kr = splitHeads(s, "", k, 0, heads, d);
        String v = linear(p + "/attention/self/value", n + ".attention.self.value", x, h, h);
        String vr = splitHeads(s, "_1", v, 4, heads, d);
        String vt = node(s + "/Transpose", "Transpose", List.of(vr), Attribute.ints("perm", 0, 2, 1, 3));
        String qr = splitHeads(s, "_2", q, 8, heads, d);
        String qt = node(s + "/Transpose_1", "Transpose", List.of(qr), Attribute.ints("perm", 0, 2, 1, 3));
        String kt = node(s + "/Transpose_2", "Transpose", List.of(kr), Attribute.ints("perm", 0, 2, 3, 1));
        String scores = node(s + "/MatMul", "MatMul", List.of(qt, kt));
        String scaled = node(s + "/Div", "Div", List.of(scores, constFloat(s + "/Constant_12", (float) Math.sqrt(d))));
        String masked = node(s + "/Add", "Add", List.of(scaled, mask));
        String probs = node(s + "/Softmax", "Softmax", List.of(masked), new Attribute.Int("axis", 3));
        String ctx = node(s + "/MatMul_1", "MatMul", List.of(probs, vt));
        String ctxT = node(s + "/Transpose_3", "Transpose", List.of(ctx), Attribute.ints("perm", 0, 2, 1, 3));
        String sh6 = node(s + "/Shape_6", "Shape", List.of(ctxT));
        String g6 = node(s + "/Gather_6", "Gather", List.of(sh6, constLong(s + "/Constant_13", 0)), new Attribute.Int("axis", 0));
        String sh7 = node(s + "/Shape_7", "Shape", List.of(ctxT));
        String g7 = node(s + "/Gather_7", "Gather", List.of(sh7, constLong(s + "/Constant_14", 1)), new Attribute.Int("axis", 0));
        String u6 = node(s + "/Unsqueeze_6", "Unsqueeze", List.of(g6), Attribute.ints("axes", 0));
        String u7 = node(s + "/Unsqueeze_7", "Unsqueeze", List.of(g7), Attribute.ints("axes", 0));
        String merged = node(s + "/Concat_3", "Concat", List.of(u6, u7, constLongs(s + "/Constant_15", h)), new Attribute.Int("axis", 0));
        String ctx2 = node(s + "/Reshape_3", "Reshape", List.of(ctxT, merged));
        String attnOut = linear(p + "/attention/output/dense", n + ".attention.output.dense", ctx2, h, h);
        String res1 = node(p + "/attention/output/Add", "Add", List.of(attnOut, x));
        String x1 = layerNorm(p + "/attention/output/LayerNorm", n + ".attention.output.LayerNorm", res1);
        String inter = linear(p + "/intermediate/dense", n + ".intermediate.dense", x1, h, config.intermediate());
        String a = p + "/intermediate/intermediate_act_fn";
        String div = node(a + "/Div", "Div", List.of(inter, constFloat(a + "/Constant", (float) Math.sqrt(2.0))));
        String erf = node(a + "/Erf", "Erf", List.of(div));
        String plus = node(a + "/Add", "Add", List.of(erf, constFloat(a + "/Constant_1", 1.0f)));
        String mul = node(a + "/Mul", "Mul", List.of(inter, plus));
        String gelu = node(a + "/Mul_1", "Mul", List.of(mul, constFloat(a + "/Constant_2", 0.5f)));
        String out = linear(p + "/output/dense", n + ".output.dense", gelu, config.intermediate(), h);
        String res2 = node(p + "/output/Add", "Add", List.of(out, x1));
        return layerNorm(p + "/output/LayerNorm", n + ".output.LayerNorm", res2);
    }

    /** Reshape {@code [B, T, H]} to {@code [B, T, heads, d]} the way the exporter spells it. */
    private String splitHeads(String s, String shapeSuffix, String value, int constBase, int heads, int d) {
        int i = constBase / 4 * 2;
        String sa = node(s + "/Shape" + suffix(i), "Shape", List.of(value));
        String ga = node(s + "/Gather" + suffix(i), "Gather", List.of(sa, constLong(s + "/Constant" + suffix(constBase), 0)),
                new Attribute.Int("axis", 0));
        String sb = node(s + "/Shape" + suffix(i + 1), "Shape", List.of(value));
        String gb = node(s + "/Gather" + suffix(i + 1), "Gather", List.of(sb, constLong(s + "/Constant" + suffix(constBase + 1), 1)),
                new Attribute.Int("axis", 0));
        String ua = node(s + "/Unsqueeze" + suffix(i), "Unsqueeze", List.of(ga), Attribute.ints("axes", 0));
        String ub = node(s + "/Unsqueeze" + suffix(i + 1), "Unsqueeze", List.of(gb), Attribute.ints("axes", 0));
        String shape = node(s + "/Concat" + shapeSuffix, "Concat", List.of(ua, ub, constLongs(s + "/Constant" + suffix(constBase + 2), heads),
                constLongs(s + "/Constant" + suffix(constBase + 3), d)), new Attribute.Int("axis", 0));
        return node(s + "/Reshape" + shapeSuffix, "Reshape", List.of(value, shape));
    }

    private static String suffix(int i) {
        return i == 0 ? "" : "_" + i;
    }

    private String linear(String path, String module, String x, int in, int out) {
        String w = "onnx::MatMul_" + (weightCounter++);
        graph.putInitializer(weights(w, in, out));
        graph.putInitializer(weights(module + ".bias", out));
        String mm = node(path + "/MatMul", "MatMul", List.of(x, w));
        return node(path + "/Add", "Add", List.of(module + ".bias", mm));
    }

    private String layerNorm(String path, String module, String x) {
        graph.putInitializer(around(module + ".weight", 1.0, config.hidden()));
        graph.putInitializer(weights(module + ".bias", config.hidden()));
        String mean = node(path + "/ReduceMean", "ReduceMean", List.of(x), Attribute.ints("axes", -1));
        String centered = node(path + "/Sub", "Sub", List.of(x, mean));
        String sq = node(path + "/Pow", "Pow", List.of(centered, constFloat(path + "/Constant", 2.0f)));
        String var = node(path + "/ReduceMean_1", "ReduceMean", List.of(sq), Attribute.ints("axes", -1));
        String eps = node(path + "/Add", "Add", List.of(var, constFloat(path + "/Constant_1", 1e-12f)));
        String std = node(path + "/Sqrt", "Sqrt", List.of(eps));
        String norm = node(path + "/Div", "Div", List.of(centered, std));
        String scaled = node(path + "/Mul", "Mul", List.of(norm, module + ".weight"));
        return node(path + "/Add_1", "Add", List.of(scaled, module + ".bias"));
    }

    private String node(String name, String op, List<String> inputs, Attribute... attributes) {
        String out = name + "_output_0";
        graph.addNode(new Node(name, op, "", inputs, List.of(out), List.of(attributes)));
        return out;
    }

    private String constFloat(String name, float value) {
        return constant(name, Tensor.scalar("", value));
    }

    private String constLong(String name, long value) {
        return constant(name, Tensor.ofLongs("", new long[0], new long[] {value}));
    }

    private String constLongs(String name, long... values) {
        return constant(name, Tensor.vector("", values));
    }

    private String constant(String name, Tensor value) {
        return node(name, "Constant", List.of(), new Attribute.TensorValue("value", value));
    }

    private Tensor weights(String name, long... shape) {
        return around(name, 0.0, shape);
    }

    private Tensor around(String name, double mean, long... shape) {
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        float[] v = new float[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + config.weightStd() * random.nextGaussian());
        }
        return Tensor.ofFloats(name, shape, v);
    }
}
