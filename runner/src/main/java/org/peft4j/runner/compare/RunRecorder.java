package org.peft4j.runner.compare;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.training.EvaluationEvent;
import org.peft4j.api.training.RunInfo;
import org.peft4j.api.training.StepEvent;
import org.peft4j.api.training.TrainingListener;
import org.peft4j.runner.results.RunResult;

/**
 * Streams a run's per-step metrics to {@code metrics.csv} and its evaluations to
 * {@code evaluations.csv} as they happen (so an interrupted run keeps what it did), and records
 * when each tensor froze.
 *
 * <p>A tensor that the schedule freezes at step {@code s} first shows as frozen in the event of
 * step {@code s + 1}; the recorder dates it to {@code s}. Rows are flushed at every epoch end and
 * when the run ends.
 */
final class RunRecorder implements TrainingListener {

    private final Path metrics;
    private final Path evaluationsFile;
    private final Map<String, AdapterParameter> parameters = new TreeMap<>();
    private final Set<String> seenFrozen = new HashSet<>();
    private final List<RunResult.FreezeEvent> freezes = new ArrayList<>();
    private final java.io.PrintWriter console;
    private BufferedWriter steps;
    private BufferedWriter evaluations;
    private long lastStep = -1;

    RunRecorder(Path directory, List<AdapterParameter> adapterParameters, java.io.PrintWriter console) {
        this.console = console;
        this.metrics = directory.resolve("metrics.csv");
        this.evaluationsFile = directory.resolve("evaluations.csv");
        adapterParameters.forEach(p -> parameters.put(p.name(), p));
    }

    @Override
    public void onRunStart(RunInfo run) {
        try {
            boolean fresh = !Files.exists(metrics);
            steps = Files.newBufferedWriter(metrics, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (fresh) {
                steps.write("step,epoch,loss,learning_rate,trainable_adapter_params,frozen_tensors\n");
            }
            boolean freshEval = !Files.exists(evaluationsFile);
            evaluations = Files.newBufferedWriter(evaluationsFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (freshEval) {
                evaluations.write("epoch,step,split,metric,value\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + metrics + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onStep(StepEvent step) {
        if (lastStep < 0 && step.step() > 0) {
            // a resumed run replays the steps after its checkpoint: drop what the killed process logged past it
            dropRowsFrom(metrics, step.step(), 0, true);
            dropRowsFrom(evaluationsFile, step.step(), 1, false);
        }
        int before = freezes.size();
        noteFrozen(step.frozen(), step.step() - 1);
        if (freezes.size() > before && console != null) {
            console.printf(Locale.ROOT, "    step %d: %d more matri%s frozen (%d of %d freezable), trainable adapter parameters now %,d%n", step.step() - 1,
                    freezes.size() - before, freezes.size() - before == 1 ? "x" : "ces", step.frozen().size(),
                    parameters.values().stream().filter(AdapterParameter::freezable).count(), step.trainableParameterCount());
            console.flush();
        }
        lastStep = step.step();
        write(steps, String.format(Locale.ROOT, "%d,%d,%.8g,%.8g,%d,%d%n", step.step(), step.epoch(), step.loss(), step.learningRate(),
                step.trainableParameterCount(), step.frozen().size()));
    }

    @Override
    public void onEvaluation(EvaluationEvent evaluation) {
        for (Map.Entry<String, Double> m : evaluation.metrics().entrySet()) {
            write(evaluations, String.format(Locale.ROOT, "%d,%d,%s,%s,%.8g%n", evaluation.epoch(), evaluation.step(), evaluation.split(), m.getKey(),
                    m.getValue()));
        }
        flush();
    }

    @Override
    public void onRunEnd(RunInfo run, Throwable error) {
        flush();
        try {
            if (steps != null) {
                steps.close();
            }
            if (evaluations != null) {
                evaluations.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Keeps the header and the rows whose step (CSV column {@code column}) is below {@code step}
     * ({@code inclusive}) or not above it, rewriting the file in place.
     */
    private void dropRowsFrom(Path file, long step, int column, boolean inclusive) {
        try {
            BufferedWriter writer = file.equals(metrics) ? steps : evaluations;
            writer.flush();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String[] cells = lines.get(i).split(",", -1);
                if (i == 0 || cells.length <= column) {
                    kept.add(lines.get(i));
                    continue;
                }
                long rowStep = Long.parseLong(cells[column]);
                if (inclusive ? rowStep < step : rowStep <= step) {
                    kept.add(lines.get(i));
                }
            }
            if (kept.size() != lines.size()) {
                writer.close();
                Files.write(file, kept, StandardCharsets.UTF_8);
                BufferedWriter reopened = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                if (file.equals(metrics)) {
                    steps = reopened;
                } else {
                    evaluations = reopened;
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot trim " + file + " for the resumed run: " + e.getMessage(), e);
        }
    }

    /** Records tensors frozen by the end of the run that no step event showed yet. */
    void finish(Set<String> finalFrozen) {
        noteFrozen(finalFrozen, lastStep);
    }

    /** Freeze events in order. */
    List<RunResult.FreezeEvent> freezes() {
        return List.copyOf(freezes);
    }

    private void noteFrozen(Set<String> frozen, long atStep) {
        List<String> fresh = new ArrayList<>();
        for (String name : frozen) {
            if (seenFrozen.add(name)) {
                fresh.add(name);
            }
        }
        fresh.sort(String::compareTo);
        for (String name : fresh) {
            AdapterParameter p = parameters.get(name);
            freezes.add(new RunResult.FreezeEvent(Math.max(0, atStep), name, p == null ? "" : p.module(), p == null ? "" : p.role()));
        }
    }

    private void flush() {
        try {
            if (steps != null) {
                steps.flush();
            }
            if (evaluations != null) {
                evaluations.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(BufferedWriter w, String line) {
        try {
            w.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
