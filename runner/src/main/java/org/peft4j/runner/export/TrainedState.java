package org.peft4j.runner.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.engine.safetensors.SafeTensor;
import org.peft4j.engine.safetensors.SafeTensors;
import org.peft4j.engine.safetensors.SafeTensorsFile;
import org.peft4j.runner.compare.TrainedRun;

/**
 * The trained state of a finished run as read back from its {@code trained/} directory: the
 * description and the value of every adapter and head tensor, under their graph names.
 *
 * <p>Contract: {@link #read} checks that the tensors file holds every tensor the description
 * lists, as float tensors of the described shape, and fails with an {@link IOException} naming the
 * file and tensor otherwise. The value map is unmodifiable; its arrays must not be changed.
 *
 * @param directory the {@code trained/} directory it was read from (or the adapter directory)
 * @param description how to rebuild the run's graph
 * @param values tensor values by graph name
 */
public record TrainedState(Path directory, TrainedRun.Description description, Map<String, float[]> values) {

    public TrainedState {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(description, "description");
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Reads a run: {@code runDirectory} is a finished run's directory (holding {@code trained/}) or
     * the {@code trained/} directory itself.
     */
    public static TrainedState read(Path runDirectory) throws IOException {
        Path dir = Files.isDirectory(runDirectory.resolve(TrainedRun.DIRECTORY)) ? runDirectory.resolve(TrainedRun.DIRECTORY) : runDirectory;
        if (!Files.isDirectory(dir)) {
            throw new IOException(runDirectory + " is not a directory; expected the directory of a finished run");
        }
        TrainedRun.Description d = TrainedRun.read(dir);
        requireComplete(dir.resolve(TrainedRun.DESCRIPTION), d);
        Path file = dir.resolve(TrainedRun.PARAMETERS);
        if (!Files.exists(file)) {
            throw new IOException(dir + " has " + TrainedRun.DESCRIPTION + " but no " + TrainedRun.PARAMETERS);
        }
        SafeTensorsFile tensors = SafeTensors.read(file);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (AdapterParameter p : d.adapterParameters()) {
            values.put(p.name(), floats(tensors, p.name(), p.shape()));
        }
        for (String h : d.headParameters()) {
            values.put(h, floats(tensors, h, null));
        }
        return new TrainedState(dir, d, values);
    }

    /** Checks the fields a rebuild needs, naming the first one missing. */
    static void requireComplete(Path file, TrainedRun.Description d) throws IOException {
        String missing = d == null ? "everything" : d.provenance() == null ? "provenance" : d.provenance().method() == null ? "provenance.method"
                : d.provenance().model() == null ? "provenance.model" : d.task() == null ? "task" : d.labels() == null ? "labels"
                : d.pooling() == null ? "pooling" : d.adapterParameters() == null ? "adapterParameters"
                : d.headParameters() == null ? "headParameters" : d.targets() == null ? "targets" : d.maxLength() < 1 ? "maxLength" : null;
        if (missing != null) {
            throw new IOException(file + ": incomplete trained-run description, missing '" + missing + "'");
        }
    }

    private static float[] floats(SafeTensorsFile file, String name, long[] shape) throws IOException {
        SafeTensor t = file.require(name);
        if (t.dtype() != org.peft4j.engine.safetensors.DType.F32) {
            throw new IOException(file.file() + ": tensor '" + name + "' is " + t.dtype() + ", expected F32");
        }
        if (shape != null && !Arrays.equals(shape, t.shape())) {
            throw new IOException(file.file() + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(shape));
        }
        return t.floats();
    }

    /** The number of outputs of the head: the class count, or 1 for regression. */
    public int numOutputs() {
        return isClassification() ? description.labels().size() : 1;
    }

    /** Whether the run was a classification run. */
    public boolean isClassification() {
        return "classification".equalsIgnoreCase(description.task());
    }
}
