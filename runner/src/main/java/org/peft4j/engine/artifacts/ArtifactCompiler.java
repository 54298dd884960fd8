package org.peft4j.engine.artifacts;

import ai.onnx.proto.OnnxMl;
import org.peft4j.engine.files.FileTrees;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.autodiff.GradientBuilder;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.engine.optim.AdamWGraphBuilder;
import org.peft4j.engine.optim.OptimizedParameter;
import org.peft4j.engine.safetensors.SafeTensor;
import org.peft4j.engine.safetensors.SafeTensors;
import org.peft4j.engine.shape.ShapeInference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles training artifacts for one model and caches them by trainable set.
 *
 * <p>For a trainable set {@code S} it writes, into {@code <cacheRoot>/<model key>/<set key>/}:
 * <ul>
 *   <li>{@value #TRAINING_MODEL}: inputs the batch tensors, {@code labels},
 *       {@code example_weight} and every parameter of {@code S}; outputs {@code loss},
 *       {@code logits} and {@code <p>_grad} for every {@code p} in {@code S}.</li>
 *   <li>{@value #EVAL_MODEL}: inputs the batch tensors and the parameters of {@code S}; output
 *       {@code logits}. No loss, no gradients.</li>
 *   <li>{@value #OPTIMIZER_MODEL}: AdamW for {@code S} (see {@link AdamWGraphBuilder}).</li>
 *   <li>{@value #CHECKPOINT}: the values of {@code S} at compile time.</li>
 *   <li>{@value #FROZEN_WEIGHTS}: the frozen base weights (every non-parameter initializer of at
 *       least {@value #SHARED_THRESHOLD_BYTES} bytes, and every managed constant that never trains,
 *       such as ELoRA's shared projections) as ONNX external data, referenced by both
 *       models and hard-linked from one file per model key, so it is written once.</li>
 *   <li>{@value #MANIFEST}: the names, shapes, groups and FLOP counts.</li>
 * </ul>
 * Managed parameters outside {@code S} become initializers holding the values passed to
 * {@link #compile}, so frozen tensors are constants and the training model computes no gradient
 * for them.
 *
 * <p>Contract: the set key hashes the model (base weights and structure), the spec, {@code S} and
 * the values of the baked managed parameters, so a cached directory is reused only when it would
 * be rebuilt identically. Directories appear atomically (built under a temporary name, then
 * renamed). Not thread-safe; one compiler per run.
 */
public final class ArtifactCompiler {

    /** The training model's file name. */
    public static final String TRAINING_MODEL = "training_model.onnx";
    /** The evaluation model's file name. */
    public static final String EVAL_MODEL = "eval_model.onnx";
    /** The optimizer model's file name. */
    public static final String OPTIMIZER_MODEL = "optimizer_model.onnx";
    /** The parameter checkpoint's file name. */
    public static final String CHECKPOINT = "checkpoint.safetensors";
    /** The description's file name. */
    public static final String MANIFEST = "artifacts.json";
    /** The shared external data file of the frozen base weights. */
    public static final String FROZEN_WEIGHTS = "frozen_weights.data";
    /** Non-parameter initializers at least this large are shared external data. */
    public static final long SHARED_THRESHOLD_BYTES = 4096;
    /** The logits output's name. */
    public static final String LOGITS = "logits";

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactCompiler.class);
    private static final int FORMAT = 1;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final ArtifactSpec spec;
    private final Path modelRoot;
    private final String modelKey;
    private final Map<String, long[]> sharedLocation = new LinkedHashMap<>();
    private final Map<String, Tensor> shared = new LinkedHashMap<>();
    private final Map<String, CompiledArtifacts> cache = new HashMap<>();
    private final OnnxModelIO io = new OnnxModelIO();

    /**
     * Prepares a compiler and writes the shared frozen weights once.
     *
     * @param spec the model and its training setup
     * @param cacheRoot the directory under which artifacts are cached; created when absent
     */
    public ArtifactCompiler(ArtifactSpec spec, Path cacheRoot) throws IOException {
        this(spec, cacheRoot, SHARED_THRESHOLD_BYTES);
    }

    /**
     * Prepares a compiler with another sharing threshold.
     *
     * @param spec the model and its training setup
     * @param cacheRoot the directory under which artifacts are cached; created when absent
     * @param sharedThresholdBytes non-parameter initializers of at least this many bytes become
     *     shared external data
     */
    public ArtifactCompiler(ArtifactSpec spec, Path cacheRoot, long sharedThresholdBytes) throws IOException {
        this.spec = Objects.requireNonNull(spec, "spec");
        Set<String> managed = new LinkedHashSet<>();
        spec.parameters().forEach(p -> managed.add(p.name()));
        MessageDigest md = sha256();
        Graph structure = spec.model().copy();
        for (Tensor t : spec.model().initializers().values()) {
            boolean big = t.elementCount() * t.type().byteSize() >= sharedThresholdBytes;
            if (managed.contains(t.name())) {
                structure.removeInitializer(t.name());
                if (big && !spec.parameter(t.name()).trainable()) {
                    shared.put(t.name(), t);
                }
            } else if (big) {
                shared.put(t.name(), t);
            }
        }
        md.update(io.toBytes(structure));
        for (Tensor t : shared.values()) {
            if (managed.contains(t.name())) {
                md.update(t.name().getBytes(StandardCharsets.UTF_8));
                md.update(t.data());
            }
        }
        md.update(Long.toString(sharedThresholdBytes).getBytes(StandardCharsets.UTF_8));
        md.update(describeSpec().getBytes(StandardCharsets.UTF_8));
        this.modelKey = HexFormat.of().formatHex(md.digest()).substring(0, 16);
        this.modelRoot = Objects.requireNonNull(cacheRoot, "cacheRoot").resolve("model-" + modelKey);
        Files.createDirectories(modelRoot);
        long offset = 0;
        for (Tensor t : shared.values()) {
            long length = t.elementCount() * t.type().byteSize();
            sharedLocation.put(t.name(), new long[] {offset, length});
            offset = (offset + length + 63) / 64 * 64;
        }
        Path weights = modelRoot.resolve(FROZEN_WEIGHTS);
        if (!Files.exists(weights) || Files.size(weights) != expectedSharedSize()) {
            Path tmp = modelRoot.resolve(FROZEN_WEIGHTS + ".tmp" + System.nanoTime());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (Tensor t : shared.values()) {
                    ByteBuffer d = t.data();
                    long pos = sharedLocation.get(t.name())[0];
                    while (d.hasRemaining()) {
                        pos += ch.write(d, pos);
                    }
                }
                ch.force(true);
            }
            moveAtomically(tmp, weights);
        }
    }

    private long expectedSharedSize() {
        long end = 0;
        for (long[] loc : sharedLocation.values()) {
            end = Math.max(end, loc[0] + loc[1]);
        }
        return end;
    }

    /** A content key of the model structure, base weights and spec (16 hex digits). */
    public String modelKey() {
        return modelKey;
    }

    /** The spec this compiler compiles. */
    public ArtifactSpec spec() {
        return spec;
    }

    /** The frozen base weights shared by every session, by name (immutable tensors). */
    public Map<String, Tensor> sharedWeights() {
        return java.util.Collections.unmodifiableMap(shared);
    }

    /**
     * The artifacts for trainable set {@code trainable}, compiled or taken from the cache.
     *
     * @param trainable names of managed parameters that train; non-empty, each declared trainable
     * @param values current values of managed parameters; those outside {@code trainable} are baked
     *     in (a missing entry means the model's initial value)
     * @throws IllegalArgumentException for an unknown or never-trainable name or a wrong value count
     */
    public CompiledArtifacts compile(Set<String> trainable, Map<String, float[]> values) throws IOException {
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("the trainable set is empty: nothing left to train");
        }
        for (String name : trainable) {
            ManagedParameter p = spec.parameter(name);
            if (p == null) {
                throw new IllegalArgumentException("'" + name + "' is not a managed parameter of model '" + spec.model().name() + "'");
            }
            if (!p.trainable()) {
                throw new IllegalArgumentException("'" + name + "' is a constant of this run and cannot train");
            }
        }
        Map<String, float[]> baked = new LinkedHashMap<>();
        for (ManagedParameter p : spec.parameters()) {
            if (!trainable.contains(p.name())) {
                float[] v = values.get(p.name());
                if (v == null) {
                    v = spec.model().initializer(p.name()).floats();
                }
                if (v.length != p.elementCount()) {
                    throw new IllegalArgumentException("value of '" + p.name() + "' has " + v.length + " elements, expected "
                            + p.elementCount());
                }
                baked.put(p.name(), v);
            }
        }
        String key = setKey(trainable, baked);
        CompiledArtifacts hit = cache.get(key);
        if (hit != null) {
            return hit;
        }
        Path dir = modelRoot.resolve("set-" + key);
        CompiledArtifacts loaded = load(dir, key);
        if (loaded != null) {
            cache.put(key, loaded);
            return loaded;
        }
        long t0 = System.nanoTime();
        CompiledArtifacts built = build(key, dir, trainable, baked);
        LOG.debug("compiled artifacts {} ({} trainable tensors) in {} ms", dir, trainable.size(), (System.nanoTime() - t0) / 1_000_000);
        cache.put(key, built);
        return built;
    }

    // ------------------------------------------------------------------ building

    private CompiledArtifacts build(String key, Path dir, Set<String> trainableSet, Map<String, float[]> baked) throws IOException {
        List<ManagedParameter> trainable = spec.parameters().stream().filter(p -> trainableSet.contains(p.name())).toList();
        Set<String> frozen = new TreeSet<>();
        for (ManagedParameter p : spec.parameters()) {
            if (p.trainable() && !trainableSet.contains(p.name())) {
                frozen.add(p.name());
            }
        }
        Graph g = spec.model().copy();
        g.setName("training");
        for (ManagedParameter p : spec.parameters()) {
            if (trainableSet.contains(p.name())) {
                g.removeInitializer(p.name());
                g.addInput(new ValueInfo(p.name(), DataType.FLOAT, p.shape()));
            } else {
                g.putInitializer(Tensor.ofFloats(p.name(), p.shape(), baked.get(p.name())));
            }
        }
        for (ValueInfo out : List.copyOf(g.outputs())) {
            g.removeOutput(out.name());
        }
        if (!spec.logits().equals(LOGITS)) {
            if (g.producer(LOGITS) != null || g.isInput(LOGITS) || g.initializer(LOGITS) != null) {
                throw new IllegalArgumentException("model '" + spec.model().name() + "' uses the name '" + LOGITS
                        + "' for another value than its logits '" + spec.logits() + "'");
            }
            g.addNode(new Node(g.uniqueName("Identity"), "Identity", "", List.of(spec.logits()), List.of(LOGITS), List.of()));
        }
        int batch = spec.batchSize();
        long[] logitsShape = {batch, spec.numLabels()};
        String loss = LossBuilder.addLoss(g, LOGITS, spec.task(), batch);
        g.addOutput(new ValueInfo(loss, DataType.FLOAT, new long[0]));
        g.addOutput(new ValueInfo(LOGITS, DataType.FLOAT, logitsShape));
        ShapeInference.specialize(g, spec.batchShapes());
        ValueInfo logitsInfo = g.valueInfo(LOGITS);
        if (logitsInfo == null || !Arrays.equals(logitsInfo.shape(), logitsShape)) {
            throw new IllegalArgumentException("the logits '" + spec.logits() + "' of model '" + spec.model().name() + "' have shape "
                    + (logitsInfo == null ? "?" : Arrays.toString(logitsInfo.shape())) + ", expected " + Arrays.toString(logitsShape));
        }

        Graph eval = g.copy();
        eval.setName("eval");
        eval.removeOutput(loss);
        eval.prune();
        eval.removeInput(LossBuilder.LABELS);
        eval.removeInput(LossBuilder.EXAMPLE_WEIGHT);
        // evaluation runs without dropout: the training graph's Dropout nodes draw a mask on every run
        org.peft4j.engine.adapters.Dropouts.toIdentity(eval);

        Set<String> wrt = new LinkedHashSet<>();
        trainable.forEach(p -> wrt.add(p.name()));
        Map<String, String> grads = new GradientBuilder(g).addGradients(loss, wrt);
        List<ValueInfo> outputs = new ArrayList<>();
        outputs.add(new ValueInfo(loss, DataType.FLOAT, new long[0]));
        outputs.add(new ValueInfo(LOGITS, DataType.FLOAT, logitsShape));
        for (ManagedParameter p : trainable) {
            String produced = grads.get(p.name());
            if (produced == null) {
                throw new IllegalStateException("no gradient was built for trainable parameter '" + p.name()
                        + "': it does not influence the loss");
            }
            String wanted = AdamWGraphBuilder.gradName(p.name());
            if (!produced.equals(wanted)) {
                g.addNode(new Node(g.uniqueName("Identity"), "Identity", "", List.of(produced), List.of(wanted), List.of()));
            }
            outputs.add(new ValueInfo(wanted, DataType.FLOAT, p.shape()));
        }
        for (ValueInfo out : List.copyOf(g.outputs())) {
            g.removeOutput(out.name());
        }
        outputs.forEach(g::addOutput);
        g.sortTopologically();
        g.prune();

        List<OptimizedParameter> optimized = trainable.stream().map(p -> new OptimizedParameter(p.name(), p.shape(), p.group())).toList();
        Graph optimizer = AdamWGraphBuilder.build(optimized, spec.groups(), spec.adamW());

        long trainingFlops = FlopCounter.count(g);
        long evalFlops = FlopCounter.count(eval);
        long optimizerFlops = FlopCounter.count(optimizer);

        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp" + System.nanoTime());
        Files.createDirectories(tmp);
        try {
            List<String> sharedTraining = writeModel(g, tmp.resolve(TRAINING_MODEL));
            List<String> sharedEval = writeModel(eval, tmp.resolve(EVAL_MODEL));
            writeModel(optimizer, tmp.resolve(OPTIMIZER_MODEL));
            if (!sharedTraining.isEmpty() || !sharedEval.isEmpty()) {
                link(modelRoot.resolve(FROZEN_WEIGHTS), tmp.resolve(FROZEN_WEIGHTS));
            }
            List<SafeTensor> initial = new ArrayList<>();
            for (ManagedParameter p : trainable) {
                Tensor t = spec.model().initializer(p.name());
                initial.add(SafeTensor.ofFloats(p.name(), p.shape(), t.floats()));
            }
            SafeTensors.write(tmp.resolve(CHECKPOINT), initial, Map.of("format", "peft4j-artifacts-checkpoint"));
            CompiledArtifacts result = new CompiledArtifacts(key, dir, trainable, frozen, nonParameterInputs(g, wrt),
                    nonParameterInputs(eval, wrt), sharedTraining, sharedEval, logitsShape, trainingFlops, optimizerFlops, evalFlops);
            Files.writeString(tmp.resolve(MANIFEST), GSON.toJson(Manifest.of(result, spec)));
            try {
                moveAtomically(tmp, dir);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                FileTrees.deleteQuietly(tmp);
                CompiledArtifacts existing = load(dir, key);
                if (existing != null) {
                    return existing;
                }
                throw e;
            }
            return result;
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteQuietly(tmp);
            throw e;
        }
    }

    private static List<ValueInfo> nonParameterInputs(Graph g, Set<String> params) {
        return g.inputs().stream().filter(v -> !params.contains(v.name())).toList();
    }

    /** Writes a model; shared frozen weights become references into {@value #FROZEN_WEIGHTS}. */
    private List<String> writeModel(Graph graph, Path file) throws IOException {
        OnnxMl.ModelProto model = io.toModel(graph);
        OnnxMl.ModelProto.Builder mb = model.toBuilder();
        OnnxMl.GraphProto.Builder gb = mb.getGraphBuilder();
        List<String> external = new ArrayList<>();
        for (int i = 0; i < gb.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = gb.getInitializer(i);
            long[] loc = sharedLocation.get(t.getName());
            Tensor original = shared.get(t.getName());
            if (loc == null || !Arrays.equals(original.shape(), t.getDimsList().stream().mapToLong(Long::longValue).toArray())
                    || original.type().onnxCode() != t.getDataType()) {
                continue;
            }
            OnnxMl.TensorProto.Builder tb = OnnxMl.TensorProto.newBuilder().setName(t.getName()).setDataType(t.getDataType())
                    .addAllDims(t.getDimsList()).setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL);
            tb.addExternalData(entry("location", FROZEN_WEIGHTS));
            tb.addExternalData(entry("offset", Long.toString(loc[0])));
            tb.addExternalData(entry("length", Long.toString(loc[1])));
            gb.setInitializer(i, tb);
            external.add(t.getName());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            mb.build().writeTo(out);
        }
        return external;
    }

    private static OnnxMl.StringStringEntryProto entry(String k, String v) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    private static void link(Path target, Path link) throws IOException {
        try {
            Files.createLink(link, target);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(target, link, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ------------------------------------------------------------------ cache

    private String setKey(Set<String> trainable, Map<String, float[]> baked) {
        MessageDigest md = sha256();
        md.update(modelKey.getBytes(StandardCharsets.UTF_8));
        md.update(String.join("\n", new TreeSet<>(trainable)).getBytes(StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.allocate(4096);
        for (Map.Entry<String, float[]> e : baked.entrySet()) {
            md.update(("\n" + e.getKey() + "=").getBytes(StandardCharsets.UTF_8));
            for (float v : e.getValue()) {
                if (buf.remaining() < 4) {
                    md.update(buf.flip());
                    buf.clear();
                }
                buf.putInt(Float.floatToRawIntBits(v));
            }
            md.update(buf.flip());
            buf.clear();
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 20);
    }

    private CompiledArtifacts load(Path dir, String key) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return null;
        }
        try {
            Manifest m = GSON.fromJson(Files.readString(manifest), Manifest.class);
            if (m == null || m.format != FORMAT || !key.equals(m.key)) {
                return null;
            }
            for (String f : List.of(TRAINING_MODEL, EVAL_MODEL, OPTIMIZER_MODEL)) {
                if (!Files.isRegularFile(dir.resolve(f))) {
                    return null;
                }
            }
            return m.toArtifacts(dir, spec);
        } catch (IOException | JsonParseException | IllegalArgumentException | NullPointerException e) {
            LOG.warn("ignoring unreadable cached artifacts in {}: {}", dir, e.toString());
            return null;
        }
    }

    private String describeSpec() {
        StringBuilder sb = new StringBuilder();
        sb.append("format=").append(FORMAT).append("\nlogits=").append(spec.logits()).append("\ntask=").append(spec.task())
                .append("\nlabels=").append(spec.numLabels()).append("\nadamw=").append(spec.adamW()).append("\ngroups=")
                .append(spec.groups());
        spec.batchShapes().forEach((k, v) -> sb.append("\ninput ").append(k).append(Arrays.toString(v)));
        spec.parameters().forEach(p -> sb.append("\nparam ").append(p.name()).append(Arrays.toString(p.shape())).append(' ')
                .append(p.group()).append(p.head()).append(p.trainable()).append(p.freezable()));
        return sb.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }


    /** The JSON form of {@value #MANIFEST}. */
    static final class Manifest {
        int format;
        String key;
        String task;
        List<Map<String, Object>> trainable;
        List<String> frozen;
        List<Map<String, Object>> groups;
        Map<String, Object> adamw;
        List<Map<String, Object>> trainingInputs;
        List<Map<String, Object>> evalInputs;
        List<String> sharedTraining;
        List<String> sharedEval;
        long[] logitsShape;
        long trainingFlops;
        long optimizerFlops;
        long evalFlops;

        static Manifest of(CompiledArtifacts a, ArtifactSpec spec) {
            Manifest m = new Manifest();
            m.format = FORMAT;
            m.key = a.key();
            m.task = spec.task().name();
            m.trainable = a.trainable().stream().map(p -> Map.<String, Object>of("name", p.name(), "shape", p.shape(), "group",
                    p.group(), "head", p.head())).toList();
            m.frozen = List.copyOf(new TreeSet<>(a.frozen()));
            m.groups = spec.groups().stream().map(gr -> Map.<String, Object>of("name", gr.name(), "learningRate", gr.learningRate(),
                    "weightDecay", gr.weightDecay())).toList();
            m.adamw = Map.of("beta1", spec.adamW().beta1(), "beta2", spec.adamW().beta2(), "epsilon", spec.adamW().epsilon(),
                    "maxGradNorm", spec.adamW().maxGradNorm());
            m.trainingInputs = a.batchInputs().stream().map(Manifest::info).toList();
            m.evalInputs = a.evalInputs().stream().map(Manifest::info).toList();
            m.sharedTraining = a.sharedTraining();
            m.sharedEval = a.sharedEval();
            m.logitsShape = a.logitsShape();
            m.trainingFlops = a.trainingFlops();
            m.optimizerFlops = a.optimizerFlops();
            m.evalFlops = a.evalFlops();
            return m;
        }

        private static Map<String, Object> info(ValueInfo v) {
            return Map.of("name", v.name(), "type", v.type().name(), "shape", v.shape());
        }

        private static ValueInfo parseInfo(Map<String, Object> m) {
            @SuppressWarnings("unchecked")
            List<Number> shape = (List<Number>) m.get("shape");
            return new ValueInfo((String) m.get("name"), DataType.valueOf((String) m.get("type")),
                    shape.stream().mapToLong(Number::longValue).toArray());
        }

        CompiledArtifacts toArtifacts(Path dir, ArtifactSpec spec) {
            List<ManagedParameter> params = new ArrayList<>();
            for (Map<String, Object> t : trainable) {
                ManagedParameter p = spec.parameter((String) t.get("name"));
                if (p == null) {
                    throw new IllegalArgumentException("unknown parameter " + t.get("name"));
                }
                params.add(p);
            }
            return new CompiledArtifacts(key, dir, params, Set.copyOf(frozen), evalOrTraining(trainingInputs),
                    evalOrTraining(evalInputs), sharedTraining, sharedEval, logitsShape, trainingFlops, optimizerFlops, evalFlops);
        }

        private static List<ValueInfo> evalOrTraining(List<Map<String, Object>> infos) {
            return infos.stream().map(Manifest::parseInfo).toList();
        }
    }
}
