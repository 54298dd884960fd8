package org.peft4j.runner.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.artifacts.CompiledArtifacts;
import org.peft4j.engine.artifacts.ManagedParameter;
import org.peft4j.engine.ort.ExecutionSettings;
import org.peft4j.engine.ort.OrtRuntime;
import org.peft4j.engine.ort.SharedWeights;

/**
 * Where the time of a training model goes: runs it with ONNX Runtime's profiler on and sums the
 * kernel times per operator type and per node.
 *
 * <p>The session is opened with the options the engine uses (full graph optimisation, the
 * configured intra-op threads, one inter-op thread, sequential execution, the shared frozen
 * weights as external initializers) plus profiling. The first run is a warm-up and is excluded;
 * the figures are the kernel times of the remaining runs divided by their number.
 *
 * @param strategy the strategy's name
 * @param runs the profiled runs
 * @param totalMillis kernel time per run, all nodes
 * @param byOperator kernel milliseconds per run by operator type, largest first
 * @param topNodes kernel milliseconds per run of the slowest nodes, largest first
 * @param profileFile the raw ONNX Runtime profile (Chrome trace JSON)
 */
public record OperatorProfile(String strategy, int runs, double totalMillis, Map<String, Double> byOperator, Map<String, Double> topNodes,
        Path profileFile) {

    /**
     * Profiles {@code runs} runs of the training model of {@code artifacts}.
     *
     * @param strategy the name for the report
     * @param artifacts the compiled artifacts
     * @param shared the frozen base weights
     * @param values values of the trainable parameters
     * @param vocabulary token ids are drawn below this
     * @param settings threads
     * @param runs profiled runs after one warm-up
     * @param directory where the profile file goes
     */
    public static OperatorProfile profile(String strategy, CompiledArtifacts artifacts, SharedWeights shared, Map<String, float[]> values,
            long vocabulary, ExecutionSettings settings, int runs, Path directory) throws OrtException, IOException {
        Files.createDirectories(directory);
        String prefix = directory.resolve(strategy.replaceAll("[^A-Za-z0-9_.-]", "_")).toString();
        List<OnnxTensor> owned = new ArrayList<>();
        Path file;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            Map<String, OnnxTensor> external = shared.select(artifacts.sharedTraining());
            if (!external.isEmpty()) {
                options.addExternalInitializers(new HashMap<String, OnnxTensorLike>(external));
            }
            options.enableProfiling(prefix);
            try (OrtSession session = OrtRuntime.environment().createSession(artifacts.trainingModel().toString(), options)) {
                Map<String, OnnxTensor> inputs = new HashMap<>();
                java.util.Random random = new java.util.Random(5);
                for (ValueInfo in : artifacts.batchInputs()) {
                    OnnxTensor t;
                    if (in.type() == DataType.INT64) {
                        LongBuffer lb = ByteBuffer.allocateDirect((int) in.elementCount() * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
                        for (int i = 0; i < in.elementCount(); i++) {
                            lb.put(i, in.name().equals("input_ids") ? (long) random.nextInt((int) Math.min(vocabulary, Integer.MAX_VALUE))
                                    : in.name().equals("attention_mask") ? 1 : in.name().equals("labels") ? random.nextInt(2) : 0);
                        }
                        t = OnnxTensor.createTensor(OrtRuntime.environment(), lb, in.shape());
                    } else {
                        FloatBuffer fb = ByteBuffer.allocateDirect((int) in.elementCount() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                        for (int i = 0; i < in.elementCount(); i++) {
                            fb.put(i, 1f);
                        }
                        t = OnnxTensor.createTensor(OrtRuntime.environment(), fb, in.shape());
                    }
                    owned.add(t);
                    inputs.put(in.name(), t);
                }
                for (ManagedParameter p : artifacts.trainable()) {
                    float[] v = values.get(p.name());
                    FloatBuffer fb = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    fb.put(0, v);
                    OnnxTensor t = OnnxTensor.createTensor(OrtRuntime.environment(), fb, p.shape());
                    owned.add(t);
                    inputs.put(p.name(), t);
                }
                for (int i = 0; i < runs + 1; i++) {
                    try (OrtSession.Result ignored = session.run(inputs)) {
                        // kernel times are recorded by the profiler
                    }
                }
                file = Path.of(session.endProfiling());
            }
        } finally {
            owned.forEach(OnnxTensor::close);
        }
        return summarise(strategy, file, runs);
    }

    /** Sums the per-node kernel times of a profile file, dropping the first run. */
    static OperatorProfile summarise(String strategy, Path file, int runs) throws IOException {
        JsonArray events = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonArray();
        // the first model_run event ends the warm-up; node events before its end are skipped
        long warmupEnd = -1;
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("name") && o.get("name").getAsString().equals("model_run")) {
                warmupEnd = o.get("ts").getAsLong() + o.get("dur").getAsLong();
                break;
            }
        }
        Map<String, Double> ops = new HashMap<>();
        Map<String, Double> nodes = new HashMap<>();
        double total = 0;
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("cat") || !o.get("cat").getAsString().equals("Node") || !o.get("name").getAsString().endsWith("_kernel_time")) {
                continue;
            }
            if (o.get("ts").getAsLong() <= warmupEnd) {
                continue;
            }
            double ms = o.get("dur").getAsLong() / 1000.0 / runs;
            String op = o.has("args") && o.getAsJsonObject("args").has("op_name") ? o.getAsJsonObject("args").get("op_name").getAsString() : "?";
            String node = o.get("name").getAsString();
            node = node.substring(0, node.length() - "_kernel_time".length());
            ops.merge(op, ms, Double::sum);
            nodes.merge(op + " " + node, ms, Double::sum);
            total += ms;
        }
        return new OperatorProfile(strategy, runs, total, top(ops, 15), top(nodes, 12), file);
    }

    private static Map<String, Double> top(Map<String, Double> m, int n) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The profile as text: total, per operator type (ms per run and share), slowest nodes. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "profile of %s's training model: %.1f ms kernel time per run (%d runs), %s%n", strategy, totalMillis,
                runs, profileFile));
        byOperator.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-28s %9.1f ms %5.1f%%%n", k, v, 100 * v / totalMillis)));
        sb.append("  slowest nodes:\n");
        topNodes.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-70s %9.1f ms%n", k.length() > 70 ? k.substring(0, 70) : k, v)));
        return sb.toString();
    }
}
