package org.peft4j.runner.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.autodiff.GradientBuilder;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.onnx.OpsetUpgrader;
import org.peft4j.engine.ort.GraphRunner;
import org.peft4j.engine.shape.ShapeInference;
import org.peft4j.zoo.models.LinearLayers;
import org.peft4j.zoo.models.TinyBertGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code peft4j bench-gradients}: measures the cost of peft4j's generated backward pass.
 *
 * <p>Builds one BERT encoder layer in the Hugging Face export pattern (default B=16, T=128,
 * H=384, 12 heads, FFN=1536; the layer's input is a graph input, so embeddings are not
 * measured), attaches rank-r LoRA-style adapters ({@code x A B * scale}, A and B as inputs) to all
 * six linear layers, appends a scalar loss, and builds two graphs: the forward graph (loss only)
 * and the training graph (loss plus the gradients of every adapter parameter from
 * {@link GradientBuilder}). Both run in ONNX Runtime on the CPU with {@code --threads} intra-op
 * threads (default: all cores) and full graph optimisation, inputs allocated once. The two
 * graphs run alternately, so that both see the same machine load. Prints the median forward
 * time, the median forward+backward time and their ratio, over {@code --runs} timed runs of each
 * after {@code --warmup} untimed ones. Exit code 0 on success.
 */
@Command(name = "bench-gradients", mixinStandardHelpOptions = true,
        description = "Time the forward and forward+backward graphs of one encoder layer with LoRA-style adapters.")
public final class GradientBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch = 16;

    @Option(names = "--seq", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int sequence = 128;

    @Option(names = "--hidden", description = "Hidden width (default: ${DEFAULT-VALUE}).")
    int hidden = 384;

    @Option(names = "--heads", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads = 12;

    @Option(names = "--ffn", description = "Feed-forward width (default: ${DEFAULT-VALUE}).")
    int ffn = 1536;

    @Option(names = "--rank", description = "Adapter rank (default: ${DEFAULT-VALUE}).")
    int rank = 8;

    @Option(names = "--threads", description = "ONNX Runtime intra-op threads (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--warmup", description = "Untimed runs per graph (default: ${DEFAULT-VALUE}).")
    int warmup = 3;

    @Option(names = "--runs", description = "Timed runs per graph (default: ${DEFAULT-VALUE}).")
    int runs = 15;

    @Override
    public Integer call() throws OrtException {
        PrintWriter out = spec.commandLine().getOut();
        if (batch < 1 || sequence < 1 || hidden < 1 || heads < 1 || ffn < 1 || rank < 1 || threads < 1 || runs < 1 || warmup < 0) {
            spec.commandLine().getErr().println("every size, --threads and --runs must be positive and --warmup not negative");
            return 2;
        }
        if (hidden % heads != 0) {
            spec.commandLine().getErr().println("--hidden " + hidden + " is not a multiple of --heads " + heads);
            return 2;
        }
        long t0 = System.nanoTime();
        Graph forward = encoderLayer();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        List<String> parameters = attachAdapters(forward, feeds);
        String loss = appendLoss(forward);
        feeds.putAll(layerInputs());
        Graph training = forward.copy();
        new GradientBuilder(training).addGradients(loss, new HashSet<>(parameters));
        long t1 = System.nanoTime();
        out.printf(Locale.ROOT, "one encoder layer: B=%d T=%d H=%d heads=%d FFN=%d, rank-%d adapters on %d linear layers "
                + "(%d trainable parameters)%n", batch, sequence, hidden, heads, ffn, rank, parameters.size() / 2,
                parameters.stream().mapToLong(p -> feeds.get(p).elementCount()).sum());
        out.printf(Locale.ROOT, "graphs: forward %d nodes, training %d nodes, built in %.0f ms; ONNX Runtime on %d intra-op threads,"
                + " optimisation ALL%n", forward.nodes().size(), training.nodes().size(), (t1 - t0) / 1e6, threads);
        out.flush();
        double[][] times = time(forward, training, feeds);
        double fwd = median(times[0]);
        double fwdBwd = median(times[1]);
        out.printf(Locale.ROOT, "forward:          %8.2f ms (median of %d)%n", fwd, runs);
        out.printf(Locale.ROOT, "forward+backward: %8.2f ms (median of %d)%n", fwdBwd, runs);
        out.printf(Locale.ROOT, "ratio:            %8.2f%n", fwdBwd / fwd);
        out.flush();
        return 0;
    }

    /** One specialised encoder layer whose input hidden states are a graph input. */
    private Graph encoderLayer() {
        TinyBertGraph.Config c = new TinyBertGraph.Config(1, hidden, heads, ffn, 64, sequence, 17, 0.02);
        Graph g = TinyBertGraph.build(c);
        OpsetUpgrader.upgrade(g, OnnxModelIO.OPSET);
        long[] shape = {batch, sequence};
        ShapeInference.specialize(g, Map.of("input_ids", shape, "attention_mask", shape, "token_type_ids", shape));
        String embeddings = "/embeddings/LayerNorm/Add_1_output_0";
        Node producer = g.producer(embeddings);
        g.removeNode(producer);
        g.addInput(new ValueInfo(embeddings, DataType.FLOAT, new long[] {batch, sequence, hidden}));
        g.removeInput("input_ids");
        g.removeInput("token_type_ids");
        g.prune();
        return g;
    }

    private List<String> attachAdapters(Graph g, Map<String, Tensor> feeds) {
        Random random = new Random(3);
        List<String> names = new ArrayList<>();
        String scale = g.constant(Tensor.scalar("lora_scaling", 2.0f));
        for (LinearLayer layer : LinearLayers.find(g)) {
            String a = layer.module() + ".lora_A";
            String b = layer.module() + ".lora_B";
            feeds.put(a, parameter(g, a, layer.in(), rank, random));
            feeds.put(b, parameter(g, b, rank, layer.out(), random));
            names.add(a);
            names.add(b);
            g.addToValue(layer.matMulOutput(), g.mul(g.matMul(g.matMul(layer.input(), a), b), scale));
        }
        return names;
    }

    private static Tensor parameter(Graph g, String name, int rows, int cols, Random random) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.02 * random.nextGaussian());
        }
        g.addInput(new ValueInfo(name, DataType.FLOAT, new long[] {rows, cols}));
        return Tensor.ofFloats(name, new long[] {rows, cols}, v);
    }

    private String appendLoss(Graph g) {
        String h = "last_hidden_state";
        String sq = g.mul(h, h);
        String loss = g.op("ReduceMean", List.of(sq), new Attribute.Int("keepdims", 0));
        g.removeOutput(h);
        g.addOutput(new ValueInfo(loss, DataType.FLOAT, new long[0]));
        return loss;
    }

    private Map<String, Tensor> layerInputs() {
        Random random = new Random(5);
        float[] x = new float[batch * sequence * hidden];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        long[] mask = new long[batch * sequence];
        Arrays.fill(mask, 1);
        return Map.of("/embeddings/LayerNorm/Add_1_output_0", Tensor.ofFloats("x", new long[] {batch, sequence, hidden}, x),
                "attention_mask", Tensor.ofLongs("attention_mask", new long[] {batch, sequence}, mask));
    }

    /**
     * Times both graphs, alternating one run of each so that both see the same machine load;
     * returns the forward times and the training times.
     */
    private double[][] time(Graph forward, Graph training, Map<String, Tensor> feeds) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> created = new ArrayList<>();
        try (GraphRunner f = new GraphRunner(forward, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT);
                GraphRunner t = new GraphRunner(training, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            for (ValueInfo in : training.inputs()) {
                OnnxTensor tensor = GraphRunner.toOrt(env, feeds.get(in.name()));
                created.add(tensor);
                inputs.put(in.name(), tensor);
            }
            double[][] times = new double[2][runs];
            for (int i = 0; i < warmup + runs; i++) {
                GraphRunner[] order = {f, t};
                for (int k = 0; k < 2; k++) {
                    long s = System.nanoTime();
                    try (OrtSession.Result r = order[k].session().run(inputs)) {
                        if (i >= warmup) {
                            times[k][i - warmup] = (System.nanoTime() - s) / 1e6;
                        }
                    }
                }
            }
            return times;
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
