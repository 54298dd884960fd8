package org.peft4j.runner.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peft4j.api.graph.Graph;
import org.peft4j.runner.report.ResultsJson;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.RunResult;
import org.peft4j.zoo.heads.HeadParameter;

/**
 * The two exports of a finished run, as {@code peft4j export} performs them.
 *
 * <p>Contract: both read the run with {@link TrainedState#read}, rebuild its graph with
 * {@link RunGraphs#rebuild} (which checks that the installed method still creates the saved
 * layout), and write into {@code output}, creating it.
 */
public final class RunExports {

    private RunExports() {
    }

    /**
     * Writes the Hugging Face PEFT adapter directory of a run.
     *
     * @param runDirectory the run (or its {@code trained/} directory)
     * @param lookup methods and models
     * @param prefix the module prefix ({@link HfAdapterFormat#DEFAULT_PREFIX} for BERT encoders)
     * @param output the adapter directory
     * @return the state that was exported
     */
    public static TrainedState adapter(Path runDirectory, ExtensionLookup lookup, String prefix, Path output) throws IOException {
        TrainedState state = TrainedState.read(runDirectory);
        RunGraphs.Rebuilt r = RunGraphs.rebuild(state.description(), lookup);
        Map<String, long[]> headShapes = new LinkedHashMap<>();
        for (HeadParameter h : r.head().parameters()) {
            headShapes.put(h.name(), h.shape());
        }
        HfAdapterFormat.write(state, r.model().huggingFaceName(), headShapes, prefix, freezes(runDirectory, state), output);
        return state;
    }

    /**
     * Writes the merged ONNX model directory of a run.
     *
     * @return the merged graph
     */
    public static Graph onnx(Path runDirectory, ExtensionLookup lookup, Path output) throws IOException {
        TrainedState state = TrainedState.read(runDirectory);
        RunGraphs.Rebuilt r = RunGraphs.rebuild(state.description(), lookup);
        return MergedModelExporter.export(state, r, output);
    }

    /**
     * The freeze events of a run from the {@code results.json} of its comparison (found in a parent
     * directory), or an empty list when there is none.
     */
    static List<RunResult.FreezeEvent> freezes(Path runDirectory, TrainedState state) throws IOException {
        Path dir = runDirectory.toAbsolutePath().normalize();
        for (int i = 0; i < 6 && dir != null; i++, dir = dir.getParent()) {
            Path results = dir.resolve("results.json");
            if (Files.isRegularFile(results)) {
                ComparisonResults all = ResultsJson.read(results);
                for (RunResult run : all.runs()) {
                    if (run.runId().equals(state.description().runId())) {
                        return run.freezes() == null ? List.of() : run.freezes();
                    }
                }
                return List.of();
            }
        }
        return List.of();
    }
}
