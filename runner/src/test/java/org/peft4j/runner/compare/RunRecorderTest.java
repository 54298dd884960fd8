package org.peft4j.runner.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.training.EvaluationEvent;
import org.peft4j.api.training.ParameterState;
import org.peft4j.api.training.RunInfo;
import org.peft4j.api.training.StepEvent;
import org.peft4j.runner.results.RunResult;

class RunRecorderTest {

    @TempDir
    Path dir;

    static StepEvent step(long step, Set<String> frozen) {
        return new StepEvent() {
            public long step() {
                return step;
            }

            public int epoch() {
                return (int) (step / 4);
            }

            public double loss() {
                return 1.0 / (step + 1);
            }

            public double learningRate() {
                return 0.01;
            }

            public Map<String, ParameterState> trainable() {
                return Map.of();
            }

            public Set<String> frozen() {
                return frozen;
            }

            public long trainableParameterCount() {
                return frozen.isEmpty() ? 12 : 4;
            }
        };
    }

    @Test
    void aResumedRunReplacesTheStepsItReplaysAndDatesFreezesToTheirStep() throws IOException {
        List<AdapterParameter> params = List.of(new AdapterParameter("m.aflora_A", "m", "aflora_A", new long[] {2, 4}, true, true),
                new AdapterParameter("m.aflora_d", "m", "aflora_d", new long[] {4}, true, false));
        RunInfo info = new RunInfo("r", "s", 8, 4, 2);
        StringWriter console = new StringWriter();
        RunRecorder first = new RunRecorder(dir, params, new PrintWriter(console));
        first.onRunStart(info);
        for (long s = 0; s < 6; s++) {
            first.onStep(step(s, s >= 3 ? Set.of("m.aflora_A") : Set.of()));
            if (s == 3) {
                first.onEvaluation(new EvaluationEvent(0, 4, "validation", Map.of("accuracy", 0.5)));
            }
        }
        first.onEvaluation(new EvaluationEvent(1, 6, "validation", Map.of("accuracy", 0.6)));
        first.onRunEnd(info, new IllegalStateException("killed"));
        assertEquals(List.of(new RunResult.FreezeEvent(2, "m.aflora_A", "m", "aflora_A")), first.freezes());
        assertEquals(true, console.toString().contains("step 2: 1 more matrix frozen (1 of 1 freezable), trainable adapter parameters now 4"));

        RunRecorder resumed = new RunRecorder(dir, params, new PrintWriter(new StringWriter()));
        resumed.onRunStart(info);
        for (long s = 4; s < 8; s++) {
            resumed.onStep(step(s, Set.of("m.aflora_A")));
        }
        resumed.onRunEnd(info, null);
        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(1 + 8, rows.size(), String.join("\n", rows));
        for (int s = 0; s < 8; s++) {
            assertEquals(String.valueOf(s), rows.get(1 + s).split(",")[0]);
        }
        List<String> evaluations = Files.readAllLines(dir.resolve("evaluations.csv"));
        assertEquals(List.of("epoch,step,split,metric,value", "0,4,validation,accuracy,0.50000000"), evaluations,
                "the evaluation after the checkpoint is dropped; the replay writes it again");
    }
}
