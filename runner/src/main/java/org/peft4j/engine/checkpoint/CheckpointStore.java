package org.peft4j.engine.checkpoint;

import com.google.gson.Gson;
import org.peft4j.engine.files.FileTrees;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.peft4j.api.training.EvaluationEvent;
import org.peft4j.engine.safetensors.SafeTensor;
import org.peft4j.engine.safetensors.SafeTensors;
import org.peft4j.engine.safetensors.SafeTensorsException;
import org.peft4j.engine.safetensors.SafeTensorsFile;

/**
 * Saves and loads {@link TrainingCheckpoint}s in a directory.
 *
 * <p>Layout: one directory per checkpoint, {@code step-<10-digit step>/}, holding
 * {@value #PARAMETERS} (every managed parameter), {@value #OPTIMIZER} ({@code <p>.exp_avg} and
 * {@code <p>.exp_avg_sq} of every trainable parameter), {@value #SCORER} (the scorer's state),
 * {@value #HISTORY} ({@code loss}, {@code learning_rate}, {@code trainable_count}, {@code flops},
 * one entry per step), {@value #BEST} (the parameters at the best evaluation) and
 * {@value #MANIFEST} (step, random state, frozen set, evaluations, fingerprint and the SHA-256 of
 * every other file).
 *
 * <p>Contract: {@link #save} is atomic: files are written and flushed in a temporary directory
 * that is renamed into place last, so a crash leaves either the complete checkpoint or none; the
 * newest {@code keep} checkpoints are kept, and temporary directories of a killed writer are
 * removed (one writing process per directory). {@link #loadLatest} verifies every file's size and
 * SHA-256 against the manifest before parsing it, and reports a truncated, corrupted or missing
 * file with a {@link CheckpointException} naming the file; it never returns partial data.
 */
public final class CheckpointStore {

    /** Parameter values file. */
    public static final String PARAMETERS = "parameters.safetensors";
    /** Optimizer moments file. */
    public static final String OPTIMIZER = "optimizer.safetensors";
    /** Scorer state file. */
    public static final String SCORER = "scorer.safetensors";
    /** Step history file. */
    public static final String HISTORY = "history.safetensors";
    /** Best-evaluation parameters file. */
    public static final String BEST = "best.safetensors";
    /** Manifest file. */
    public static final String MANIFEST = "manifest.json";

    private static final int FORMAT = 1;
    private static final Pattern DIR = Pattern.compile("step-(\\d{10})");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final Path directory;
    private final int keep;

    /**
     * @param directory where checkpoints live; created on the first save
     * @param keep how many of the newest checkpoints to keep (at least 1)
     */
    public CheckpointStore(Path directory, int keep) {
        this.directory = Objects.requireNonNull(directory, "directory");
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        }
        this.keep = keep;
    }

    /** The checkpoint directory. */
    public Path directory() {
        return directory;
    }

    /** Saves {@code checkpoint} atomically; returns its directory. */
    public Path save(TrainingCheckpoint checkpoint) throws IOException {
        Files.createDirectories(directory);
        removeTemporaries();
        String name = String.format("step-%010d", checkpoint.step());
        Path target = directory.resolve(name);
        Path tmp = directory.resolve(".tmp-" + name + "-" + System.nanoTime());
        // the prefix ".tmp-step-" marks temporaries for removeTemporaries()
        Files.createDirectory(tmp);
        try {
            List<SafeTensor> params = new ArrayList<>();
            checkpoint.values().forEach((k, v) -> params.add(SafeTensor.ofFloats(k, v)));
            SafeTensors.write(tmp.resolve(PARAMETERS), params, Map.of());
            List<SafeTensor> moments = new ArrayList<>();
            checkpoint.moments().forEach((k, mv) -> {
                moments.add(SafeTensor.ofFloats(k + ".exp_avg", mv[0]));
                moments.add(SafeTensor.ofFloats(k + ".exp_avg_sq", mv[1]));
            });
            SafeTensors.write(tmp.resolve(OPTIMIZER), moments, Map.of());
            List<SafeTensor> scorer = new ArrayList<>();
            checkpoint.scorerState().forEach((k, v) -> scorer.add(SafeTensor.ofFloats(k, v)));
            SafeTensors.write(tmp.resolve(SCORER), scorer, Map.of());
            SafeTensors.write(tmp.resolve(HISTORY), List.of(SafeTensor.ofFloats("loss", checkpoint.losses()),
                    SafeTensor.ofFloats("learning_rate", checkpoint.learningRates()),
                    SafeTensor.ofLongs("trainable_count", checkpoint.trainableCounts()), SafeTensor.ofLongs("flops", checkpoint.flops())),
                    Map.of());
            List<SafeTensor> best = new ArrayList<>();
            checkpoint.bestValues().forEach((k, v) -> best.add(SafeTensor.ofFloats(k, v)));
            SafeTensors.write(tmp.resolve(BEST), best, Map.of());

            Manifest m = new Manifest();
            m.format = FORMAT;
            m.fingerprint = checkpoint.fingerprint();
            m.step = checkpoint.step();
            m.epochRngState = Long.toString(checkpoint.epochRngState());
            m.frozen = List.copyOf(new TreeSet<>(checkpoint.frozen()));
            m.bestIndex = checkpoint.bestIndex();
            m.evaluations = new ArrayList<>();
            for (EvaluationEvent e : checkpoint.evaluations()) {
                m.evaluations.add(new Evaluation(e.epoch(), e.step(), e.split(), new LinkedHashMap<>(e.metrics())));
            }
            m.files = new LinkedHashMap<>();
            for (String f : List.of(PARAMETERS, OPTIMIZER, SCORER, HISTORY, BEST)) {
                m.files.put(f, new FileEntry(Files.size(tmp.resolve(f)), SafeTensors.sha256(tmp.resolve(f))));
            }
            Path manifest = tmp.resolve(MANIFEST);
            Files.writeString(manifest, GSON.toJson(m), StandardCharsets.UTF_8);
            force(manifest);
            if (Files.exists(target)) {
                FileTrees.delete(target);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            force(directory);
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(tmp);
            throw e;
        }
        prune();
        return target;
    }

    /**
     * The newest checkpoint, verified, or empty when the directory holds none.
     *
     * @throws CheckpointException naming the file when the newest checkpoint is damaged
     */
    public Optional<TrainingCheckpoint> loadLatest() throws IOException {
        List<Path> all = list();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(load(all.get(all.size() - 1)));
    }

    /**
     * Loads and verifies the checkpoint in {@code dir}.
     *
     * @throws CheckpointException naming the file that is missing, truncated or corrupted
     */
    public TrainingCheckpoint load(Path dir) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new CheckpointException(manifestFile, "missing: the checkpoint is incomplete", null);
        }
        Manifest m;
        try {
            m = GSON.fromJson(Files.readString(manifestFile, StandardCharsets.UTF_8), Manifest.class);
        } catch (JsonParseException | IOException | NumberFormatException e) {
            throw new CheckpointException(manifestFile, "not a readable checkpoint manifest (" + e.getMessage() + ")", e);
        }
        if (m == null || m.format != FORMAT || m.files == null || m.fingerprint == null || m.epochRngState == null || m.frozen == null
                || m.evaluations == null) {
            throw new CheckpointException(manifestFile, "incomplete manifest or unsupported format (expected format " + FORMAT + ")", null);
        }
        Map<String, SafeTensorsFile> files = new LinkedHashMap<>();
        for (String f : List.of(PARAMETERS, OPTIMIZER, SCORER, HISTORY, BEST)) {
            Path file = dir.resolve(f);
            FileEntry expected = m.files.get(f);
            if (expected == null) {
                throw new CheckpointException(manifestFile, "does not list " + f, null);
            }
            if (!Files.isRegularFile(file)) {
                throw new CheckpointException(file, "missing", null);
            }
            long size = Files.size(file);
            if (size != expected.size) {
                throw new CheckpointException(file, "has " + size + " bytes, the manifest says " + expected.size + " (truncated or replaced)",
                        null);
            }
            String sha = SafeTensors.sha256(file);
            if (!sha.equals(expected.sha256)) {
                throw new CheckpointException(file, "SHA-256 " + sha + " does not match the manifest's " + expected.sha256 + " (corrupted)",
                        null);
            }
            try {
                files.put(f, SafeTensors.read(file));
            } catch (SafeTensorsException e) {
                throw new CheckpointException(file, e.getMessage(), e);
            }
        }
        try {
            Map<String, float[]> values = floats(files.get(PARAMETERS));
            Map<String, float[]> flat = floats(files.get(OPTIMIZER));
            Map<String, float[][]> moments = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> e : flat.entrySet()) {
                if (e.getKey().endsWith(".exp_avg")) {
                    String p = e.getKey().substring(0, e.getKey().length() - ".exp_avg".length());
                    float[] v = flat.get(p + ".exp_avg_sq");
                    if (v == null) {
                        throw new CheckpointException(dir.resolve(OPTIMIZER), "has no second moment for '" + p + "'", null);
                    }
                    moments.put(p, new float[][] {e.getValue(), v});
                }
            }
            SafeTensorsFile history = files.get(HISTORY);
            List<EvaluationEvent> evaluations = new ArrayList<>();
            for (Evaluation e : m.evaluations) {
                evaluations.add(new EvaluationEvent(e.epoch, e.step, e.split, e.metrics));
            }
            return new TrainingCheckpoint(m.fingerprint, m.step, Long.parseLong(m.epochRngState), values, moments,
                    new java.util.HashSet<>(m.frozen), floats(files.get(SCORER)), history.require("loss").floats(),
                    history.require("learning_rate").floats(), history.require("trainable_count").longs(),
                    history.require("flops").longs(), evaluations, m.bestIndex, floats(files.get(BEST)));
        } catch (SafeTensorsException e) {
            throw new CheckpointException(e.file(), e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new CheckpointException(manifestFile, "inconsistent checkpoint: " + e.getMessage(), e);
        }
    }

    /** Checkpoint directories, oldest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> DIR.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .sorted(Comparator.comparingLong(CheckpointStore::stepOf)).toList();
        }
    }

    /** Deletes temporary directories that a killed process left behind (one writer per directory). */
    private void removeTemporaries() throws IOException {
        List<Path> stale;
        try (Stream<Path> s = Files.list(directory)) {
            stale = s.filter(p -> p.getFileName().toString().startsWith(".tmp-step-")).toList();
        }
        for (Path p : stale) {
            FileTrees.delete(p);
        }
    }

    private static long stepOf(Path p) {
        Matcher m = DIR.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private void prune() throws IOException {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            FileTrees.delete(all.get(i));
        }
    }

    private static Map<String, float[]> floats(SafeTensorsFile f) throws SafeTensorsException {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String name : new TreeSet<>(f.tensors().keySet())) {
            SafeTensor t = f.tensors().get(name);
            if (t.dtype() != org.peft4j.engine.safetensors.DType.F32) {
                throw new SafeTensorsException(f.file(), "tensor '" + name + "' is " + t.dtype() + ", expected F32");
            }
            out.put(name, t.floats());
        }
        return out;
    }

    private static void force(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // directories cannot be synced on every platform; the rename is still atomic
        }
    }


    static final class Manifest {
        int format;
        String fingerprint;
        long step;
        String epochRngState;
        List<String> frozen;
        int bestIndex;
        List<Evaluation> evaluations;
        Map<String, FileEntry> files;
    }

    static final class Evaluation {
        int epoch;
        long step;
        String split;
        Map<String, Double> metrics;

        Evaluation(int epoch, long step, String split, Map<String, Double> metrics) {
            this.epoch = epoch;
            this.step = step;
            this.split = split;
            this.metrics = metrics;
        }
    }

    static final class FileEntry {
        long size;
        String sha256;

        FileEntry(long size, String sha256) {
            this.size = size;
            this.sha256 = sha256;
        }
    }
}
