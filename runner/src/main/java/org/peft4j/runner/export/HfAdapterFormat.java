package org.peft4j.runner.export;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.engine.safetensors.DType;
import org.peft4j.engine.safetensors.SafeTensor;
import org.peft4j.engine.safetensors.SafeTensors;
import org.peft4j.engine.safetensors.SafeTensorsFile;
import org.peft4j.runner.compare.TrainedRun;
import org.peft4j.runner.results.RunResult;

/**
 * Writes and reads adapter directories in the Hugging Face PEFT layout: {@value #WEIGHTS} (tensors
 * named as PEFT's {@code get_peft_model_state_dict} names them, in PyTorch's {@code [out, in]}
 * layout), {@value #CONFIG} (the fields of PEFT's {@code LoraConfig} / {@code VeraConfig}, or
 * peft4j's documented AFLoRA schema) and {@value #SIDECAR} (what peft4j needs to rebuild the graph:
 * the run description and the module prefix).
 *
 * <p>Names, for a module {@code m} (a peft4j module name such as
 * {@code encoder.layer.0.attention.self.query}) and the module prefix {@code p} (default
 * {@value #DEFAULT_PREFIX}, where {@code AutoModelForSequenceClassification} nests a BERT encoder):
 * <ul>
 *   <li>{@code lora_A}, {@code lora_B}, {@code aflora_A}, {@code aflora_B}:
 *       {@code base_model.model.<p><m>.<role>.weight}, transposed ({@code [r, in]}, {@code [out, r]});</li>
 *   <li>{@code vera_lambda_d}, {@code vera_lambda_b}, {@code aflora_d}, {@code aflora_b}:
 *       {@code base_model.model.<p><m>.<role>}, as stored;</li>
 *   <li>the shared {@code vera_A}, {@code vera_B}: {@code base_model.vera_A} {@code [r, in_max]} and
 *       {@code base_model.vera_B} {@code [out_max, r]}, transposed;</li>
 *   <li>any other role (third-party methods): {@code base_model.model.<p><name>}, as stored;</li>
 *   <li>the head: {@code pre_classifier} as {@code base_model.model.<p>pooler.dense.{weight,bias}} and
 *       {@code classifier} as {@code base_model.model.classifier.{weight,bias}}, weights transposed
 *       to {@code [out, in]}: with CLS pooling this is exactly BERT's pooler and classifier.</li>
 * </ul>
 *
 * <p>Contract of {@link #read}: every tensor the sidecar describes must be present in the weights
 * file with the mapped shape, as F32; otherwise an {@link IOException} names the file and tensor.
 * {@code write} followed by {@code read} returns the same values bit for bit.
 */
public final class HfAdapterFormat {

    /** The weights file. */
    public static final String WEIGHTS = "adapter_model.safetensors";
    /** The Hugging Face PEFT config file. */
    public static final String CONFIG = "adapter_config.json";
    /** peft4j's description of the run, for loading the adapter back into peft4j. */
    public static final String SIDECAR = "peft4j_adapter.json";
    /** The module prefix of a BERT encoder inside {@code BertForSequenceClassification}. */
    public static final String DEFAULT_PREFIX = "bert.";
    /** The version of the sidecar schema. */
    public static final int SIDECAR_VERSION = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private HfAdapterFormat() {
    }

    /**
     * What {@value #SIDECAR} holds.
     *
     * @param version {@value #SIDECAR_VERSION}
     * @param modulePrefix the prefix put before module names
     * @param baseModel the Hugging Face name of the base model
     * @param run the trained run's description
     */
    public record Sidecar(int version, String modulePrefix, String baseModel, TrainedRun.Description run) {
    }

    /**
     * Where one peft4j tensor goes.
     *
     * @param hfName its name in the weights file
     * @param hfShape its shape there
     * @param transpose whether the 2-D peft4j layout is transposed on the way
     */
    public record Mapping(String hfName, long[] hfShape, boolean transpose) {
    }

    /** The mapping of an adapter tensor (see the class comment). */
    public static Mapping map(AdapterParameter p, String prefix) {
        long[] s = p.shape();
        String role = p.role();
        return switch (role) {
            case "lora_A", "lora_B", "aflora_A", "aflora_B" ->
                new Mapping("base_model.model." + prefix + p.module() + "." + role + ".weight", transposed(p.name(), s), true);
            case "vera_lambda_d", "vera_lambda_b", "aflora_d", "aflora_b" ->
                new Mapping("base_model.model." + prefix + p.module() + "." + role, s, false);
            case "vera_A", "vera_B" -> new Mapping("base_model." + role, transposed(p.name(), s), true);
            default -> new Mapping("base_model.model." + prefix + p.name(), s, false);
        };
    }

    /** The mapping of a head tensor of shape {@code shape} (its peft4j layout). */
    public static Mapping mapHead(String name, long[] shape, String prefix) {
        return new Mapping(headName(name, prefix), headTransposed(name) ? transposed(name, shape) : shape, headTransposed(name));
    }

    /** The name a head tensor is written under. */
    static String headName(String name, String prefix) {
        return switch (name) {
            case "pre_classifier.weight" -> "base_model.model." + prefix + "pooler.dense.weight";
            case "pre_classifier.bias" -> "base_model.model." + prefix + "pooler.dense.bias";
            case "classifier.weight", "classifier.bias" -> "base_model.model." + name;
            default -> "base_model.model." + name;
        };
    }

    /** Whether a head tensor is a weight matrix, written transposed as {@code [out, in]}. */
    static boolean headTransposed(String name) {
        return name.equals("pre_classifier.weight") || name.equals("classifier.weight");
    }

    private static long[] transposed(String name, long[] s) {
        if (s.length != 2) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(s) + "; a 2-D matrix was expected");
        }
        return new long[] {s[1], s[0]};
    }

    /**
     * Writes the adapter directory.
     *
     * @param state the trained run
     * @param hfBaseModel the base model's Hugging Face name
     * @param headShapes the shapes of the head tensors, by name
     * @param prefix the module prefix (such as {@value #DEFAULT_PREFIX}, or empty)
     * @param freezes freeze events of the run (from its results), or an empty list when unknown
     * @param output the directory; created when missing; the three files are replaced
     */
    public static void write(TrainedState state, String hfBaseModel, Map<String, long[]> headShapes, String prefix,
            List<RunResult.FreezeEvent> freezes, Path output) throws IOException {
        Objects.requireNonNull(prefix, "prefix");
        TrainedRun.Description d = state.description();
        List<SafeTensor> tensors = new ArrayList<>();
        for (AdapterParameter p : d.adapterParameters()) {
            Mapping m = map(p, prefix);
            tensors.add(SafeTensor.ofFloats(m.hfName(), m.hfShape(), m.transpose() ? transpose(state.values().get(p.name()), p.shape())
                    : state.values().get(p.name())));
        }
        for (String h : d.headParameters()) {
            long[] shape = headShapes.get(h);
            if (shape == null) {
                throw new IllegalArgumentException("no shape for head tensor '" + h + "'");
            }
            Mapping m = mapHead(h, shape, prefix);
            float[] v = state.values().get(h);
            tensors.add(SafeTensor.ofFloats(m.hfName(), m.hfShape(), m.transpose() ? transpose(v, shape) : v));
        }
        Files.createDirectories(output);
        Path tmp = output.resolve(WEIGHTS + ".tmp");
        SafeTensors.write(tmp, tensors, Map.of("format", "pt"));
        Files.move(tmp, output.resolve(WEIGHTS), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        writeAtomically(output.resolve(CONFIG), GSON.toJson(config(d, hfBaseModel, prefix, freezes)));
        writeAtomically(output.resolve(SIDECAR), GSON.toJson(new Sidecar(SIDECAR_VERSION, prefix, hfBaseModel, d)));
    }

    /** Reads an adapter directory written by {@link #write} back into peft4j tensor names and layouts. */
    public static TrainedState read(Path dir) throws IOException {
        Path sidecarFile = dir.resolve(SIDECAR);
        if (!Files.exists(sidecarFile)) {
            throw new IOException(dir + " holds no " + SIDECAR + "; peft4j loads adapters that peft4j exported (with `peft4j export adapter`)");
        }
        Sidecar sidecar;
        try {
            sidecar = GSON.fromJson(Files.readString(sidecarFile, StandardCharsets.UTF_8), Sidecar.class);
        } catch (RuntimeException e) {
            throw new IOException(sidecarFile + ": not a peft4j adapter description: " + e.getMessage(), e);
        }
        if (sidecar == null || sidecar.version() != SIDECAR_VERSION) {
            throw new IOException(sidecarFile + ": unsupported version " + (sidecar == null ? "none" : sidecar.version()) + ", expected "
                    + SIDECAR_VERSION);
        }
        if (sidecar.modulePrefix() == null) {
            throw new IOException(sidecarFile + ": missing 'modulePrefix'");
        }
        TrainedState.requireComplete(sidecarFile, sidecar.run());
        checkConfig(dir.resolve(CONFIG), sidecar.run());
        SafeTensorsFile file = SafeTensors.read(dir.resolve(WEIGHTS));
        TrainedRun.Description d = sidecar.run();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (AdapterParameter p : d.adapterParameters()) {
            Mapping m = map(p, sidecar.modulePrefix());
            float[] v = tensor(file, m);
            values.put(p.name(), m.transpose() ? transpose(v, m.hfShape()) : v);
        }
        for (String h : d.headParameters()) {
            // the head's widths are not in the description: take the written shape, checking its rank
            String name = headName(h, sidecar.modulePrefix());
            long[] hfShape = file.require(name).shape();
            if (headTransposed(h) && hfShape.length != 2) {
                throw new IOException(file.file() + ": tensor '" + name + "' has shape " + Arrays.toString(hfShape) + ", expected a matrix");
            }
            Mapping m = new Mapping(name, hfShape, headTransposed(h));
            float[] v = tensor(file, m);
            values.put(h, m.transpose() ? transpose(v, hfShape) : v);
        }
        return new TrainedState(dir, d, values);
    }

    /** The sidecar of an adapter directory. */
    public static Sidecar sidecar(Path dir) throws IOException {
        try {
            return GSON.fromJson(Files.readString(dir.resolve(SIDECAR), StandardCharsets.UTF_8), Sidecar.class);
        } catch (RuntimeException e) {
            throw new IOException(dir.resolve(SIDECAR) + ": not a peft4j adapter description: " + e.getMessage(), e);
        }
    }

    private static float[] tensor(SafeTensorsFile file, Mapping m) throws IOException {
        SafeTensor t = file.require(m.hfName());
        if (t.dtype() != DType.F32) {
            throw new IOException(file.file() + ": tensor '" + m.hfName() + "' is " + t.dtype() + ", expected F32");
        }
        if (!Arrays.equals(t.shape(), m.hfShape())) {
            throw new IOException(file.file() + ": tensor '" + m.hfName() + "' has shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(m.hfShape()));
        }
        return t.floats();
    }

    private static void checkConfig(Path file, TrainedRun.Description d) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(file.getParent() + " holds no " + CONFIG);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        String expected = peftType(d.provenance().method());
        JsonElement type = root.isJsonObject() ? root.getAsJsonObject().get("peft_type") : null;
        if (type == null || !type.isJsonPrimitive() || !expected.equals(type.getAsString())) {
            throw new IOException(file + ": peft_type is " + type + " but " + SIDECAR + " describes a '" + d.provenance().method()
                    + "' run, expected \"" + expected + "\"");
        }
    }

    /** The {@code peft_type} written for a method id. */
    public static String peftType(String methodId) {
        return switch (methodId.toLowerCase(Locale.ROOT)) {
            case "lora" -> "LORA";
            case "elora" -> "VERA";
            case "aflora" -> "AFLORA";
            case "head-only" -> "HEAD_ONLY";
            default -> methodId.toUpperCase(Locale.ROOT).replace('-', '_');
        };
    }

    /** The {@value #CONFIG} object of a run (see docs/export.md for every field). */
    static JsonObject config(TrainedRun.Description d, String hfBaseModel, String prefix, List<RunResult.FreezeEvent> freezes) {
        Map<String, Object> params = d.provenance().methodParams() == null ? Map.of() : d.provenance().methodParams();
        String method = RunGraphs.methodId(d);
        JsonArray targets = new JsonArray();
        d.targets().forEach(t -> targets.add(prefix + t));
        JsonArray modulesToSave = new JsonArray();
        modulesToSave.add("classifier");
        modulesToSave.add("pooler");
        TreeMap<String, JsonElement> c = new TreeMap<>();
        c.put("peft_type", str(peftType(method)));
        c.put("task_type", str("SEQ_CLS"));
        c.put("base_model_name_or_path", str(hfBaseModel));
        c.put("revision", JsonNull.INSTANCE);
        c.put("inference_mode", bool(true));
        c.put("bias", str("none"));
        c.put("fan_in_fan_out", bool(false));
        c.put("modules_to_save", modulesToSave);
        c.put("layers_to_transform", JsonNull.INSTANCE);
        c.put("layers_pattern", JsonNull.INSTANCE);
        switch (method) {
            case "lora" -> {
                c.put("target_modules", targets);
                c.put("r", num(params.getOrDefault("r", 8)));
                c.put("lora_alpha", num(params.getOrDefault("alpha", 8)));
                c.put("lora_dropout", dbl(params.getOrDefault("dropout", 0.0)));
                c.put("use_rslora", bool(Boolean.TRUE.equals(params.get("use-rslora"))));
                c.put("rank_pattern", pattern(params.get("rank-pattern")));
                c.put("alpha_pattern", pattern(params.get("alpha-pattern")));
                c.put("init_lora_weights", bool(true));
                c.put("use_dora", bool(false));
                c.put("layer_replication", JsonNull.INSTANCE);
                c.put("loftq_config", new JsonObject());
                c.put("megatron_config", JsonNull.INSTANCE);
                c.put("megatron_core", str("megatron.core"));
                c.put("auto_mapping", JsonNull.INSTANCE);
            }
            case "elora" -> {
                c.put("target_modules", targets);
                c.put("r", num(params.getOrDefault("r", 1024)));
                c.put("projection_prng_key", num(params.getOrDefault("projection-seed", 0)));
                c.put("save_projection", bool(true));
                c.put("vera_dropout", dbl(0.0));
                c.put("d_initial", dbl(params.getOrDefault("d-initial", 0.1)));
                c.put("init_weights", bool(true));
            }
            case "aflora" -> {
                c.put("target_modules", targets);
                c.put("r", num(params.getOrDefault("r", 4)));
                c.put("d_initial", dbl(params.getOrDefault("d-initial", 0.1)));
                c.put("trainable_projections", str(String.valueOf(params.getOrDefault("trainable-projections", "ffn"))));
                c.put("projections", afloraProjections(d, prefix, freezes));
            }
            default -> {
                c.put("target_modules", targets);
                c.put("peft4j_method", str(d.provenance().method()));
                c.put("peft4j_params", GSON.toJsonTree(params));
            }
        }
        JsonObject o = new JsonObject();
        c.forEach(o::add);
        return o;
    }

    /**
     * AFLoRA's freezing record: one entry per layer whose projections could train, with the step at
     * which each of {@code A} and {@code B} froze (null: never froze; -1: frozen from the start).
     */
    private static JsonArray afloraProjections(TrainedRun.Description d, String prefix, List<RunResult.FreezeEvent> freezes) {
        Map<String, Long> frozenAt = new LinkedHashMap<>();
        for (RunResult.FreezeEvent e : freezes) {
            frozenAt.putIfAbsent(e.parameter(), e.step());
        }
        JsonArray out = new JsonArray();
        Map<String, JsonObject> byModule = new LinkedHashMap<>();
        for (AdapterParameter p : d.adapterParameters()) {
            if (!p.role().equals("aflora_A") && !p.role().equals("aflora_B")) {
                continue;
            }
            JsonObject entry = byModule.computeIfAbsent(p.module(), m -> {
                JsonObject o = new JsonObject();
                o.addProperty("module", prefix + m);
                out.add(o);
                return o;
            });
            String key = p.role().equals("aflora_A") ? "A" : "B";
            entry.addProperty(key + "_trainable_at_start", p.trainable());
            Long step = !p.trainable() ? Long.valueOf(-1) : frozenAt.get(p.name());
            entry.add(key + "_frozen_at_step", step == null ? JsonNull.INSTANCE : num(step));
        }
        return out;
    }

    private static JsonElement pattern(Object raw) {
        JsonObject o = new JsonObject();
        if (raw instanceof Map<?, ?> m) {
            new TreeMap<>(m.entrySet().stream().collect(java.util.stream.Collectors.toMap(e -> String.valueOf(e.getKey()), Map.Entry::getValue)))
                    .forEach((k, v) -> o.add(k, num(v)));
        }
        return o;
    }

    /** A number written as a float, as PEFT's float fields are. */
    private static JsonElement dbl(Object v) {
        if (v instanceof Number n) {
            return new com.google.gson.JsonPrimitive(n.doubleValue());
        }
        try {
            return new com.google.gson.JsonPrimitive(Double.parseDouble(String.valueOf(v)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got '" + v + "'");
        }
    }

    private static JsonElement str(String s) {
        return s == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(s);
    }

    private static JsonElement bool(boolean b) {
        return new com.google.gson.JsonPrimitive(b);
    }

    /** A number, written as an integer when it is integral. */
    private static JsonElement num(Object v) {
        if (v instanceof Number n) {
            double x = n.doubleValue();
            if (x == Math.rint(x) && !Double.isInfinite(x) && Math.abs(x) < 1e15) {
                return new com.google.gson.JsonPrimitive((long) x);
            }
            return new com.google.gson.JsonPrimitive(x);
        }
        try {
            return num(Double.parseDouble(String.valueOf(v)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got '" + v + "'");
        }
    }

    /** The transpose of a row-major {@code [rows, cols]} matrix. */
    static float[] transpose(float[] v, long[] shape) {
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[1]);
        float[] t = new float[v.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = v[i * cols + j];
            }
        }
        return t;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
