package org.peft4j.runner.compare;

import com.google.gson.Gson;
import org.peft4j.engine.files.FileTrees;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.engine.adapters.AdapterInstaller;
import org.peft4j.engine.safetensors.SafeTensor;
import org.peft4j.engine.safetensors.SafeTensors;
import org.peft4j.runner.config.ComparisonPlan;
import org.peft4j.runner.results.RunResult;
import org.peft4j.zoo.heads.Head;
import org.peft4j.zoo.heads.HeadParameter;

/**
 * The trained state of a finished run, kept in {@code <run>/trained/} so that it can be exported
 * or used for prediction later: {@code parameters.safetensors} (every adapter tensor, constants
 * included, and every head tensor, at the best validation epoch) and {@code run.json} describing
 * how to rebuild the graph (method, hyperparameters, seed, model, head, label names, targets).
 *
 * <p>Both files are written to a temporary directory first and moved into place, so a directory
 * that exists is complete.
 */
public final class TrainedRun {

    /** The sub-directory of a run that holds its trained state. */
    public static final String DIRECTORY = "trained";
    /** The tensors file. */
    public static final String PARAMETERS = "parameters.safetensors";
    /** The description file. */
    public static final String DESCRIPTION = "run.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    private TrainedRun() {
    }

    /**
     * What {@code run.json} holds.
     *
     * @param runId the run id
     * @param provenance method, scorer, scheduler, model and their hyperparameters
     * @param seed the run's seed (adapter and head initialisation, shared projections)
     * @param task classification or regression
     * @param labels class names by index (empty for regression)
     * @param maxLength the sequence length it was trained at
     * @param pooling the head's pooling
     * @param headDropout the head's dropout
     * @param targets the adapted modules, in order
     * @param adapterParameters every adapter tensor with its role and shape
     * @param headParameters the head tensor names
     */
    public record Description(String runId, RunResult.Provenance provenance, long seed, String task, List<String> labels, int maxLength,
            String pooling, double headDropout, List<String> targets, List<AdapterParameter> adapterParameters, List<String> headParameters) {
    }

    static void save(Path dir, ComparisonPlan plan, ComparisonPlan.Run run, RunResult.Provenance provenance, Dataset dataset,
            AdapterInstaller.Installed installed, Head head, Map<String, float[]> trained) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        if (Files.exists(tmp)) {
            FileTrees.delete(tmp);
        }
        Files.createDirectories(tmp);
        List<SafeTensor> tensors = new ArrayList<>();
        for (AdapterParameter p : installed.parameters()) {
            float[] values = trained.containsKey(p.name()) ? trained.get(p.name()) : installed.context().initialValue(p.name());
            tensors.add(SafeTensor.ofFloats(p.name(), p.shape(), values));
        }
        for (HeadParameter h : head.parameters()) {
            float[] values = trained.get(h.name());
            if (values == null) {
                throw new IllegalStateException("the trainer returned no value for head parameter '" + h.name() + "'");
            }
            tensors.add(SafeTensor.ofFloats(h.name(), h.shape(), values));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "peft4j-trained-run");
        metadata.put("run", run.id());
        metadata.put("method", run.strategy().method().id());
        SafeTensors.write(tmp.resolve(PARAMETERS), tensors, metadata);
        Description d = new Description(run.id(), provenance, run.seed(),
                dataset.taskType().name().toLowerCase(java.util.Locale.ROOT), dataset.labels(), run.training().maxLength(),
                plan.head().pooling(), plan.head().dropout(), installed.targets().stream().map(LinearLayer::module).toList(),
                installed.parameters(), head.parameterNames());
        Files.writeString(tmp.resolve(DESCRIPTION), GSON.toJson(d), StandardCharsets.UTF_8);
        if (Files.exists(dir)) {
            FileTrees.delete(dir);
        }
        Files.move(tmp, dir);
    }

    /** Reads a run's description. */
    public static Description read(Path dir) throws IOException {
        Path file = dir.resolve(DESCRIPTION);
        if (!Files.exists(file)) {
            throw new IOException(dir + " holds no trained run (no " + DESCRIPTION + "); is it the directory of a finished run?");
        }
        try {
            return GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Description.class);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a trained-run description: " + e.getMessage(), e);
        }
    }
}
