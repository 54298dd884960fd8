package org.peft4j.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.training.EvaluationEvent;
import org.peft4j.api.training.StepEvent;
import org.peft4j.api.training.TrainingListener;

class TrainerTest {

    @TempDir
    Path dir;

    static TrainingHyperparameters recipe(int epochs) {
        return new TrainingHyperparameters(epochs, 16, 5e-2, 5e-2, 0.01, 0.06, 1.0, 42, 0, 0);
    }

    @Test
    void tinyEncoderWithLoraLearnsTheTaskToNearZeroLoss() throws IOException {
        TinyEncoder model = new TinyEncoder(2, 7);
        List<EvaluationEvent> evals = new ArrayList<>();
        List<Double> lrsSeen = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(StepEvent step) {
                lrsSeen.add(step.learningRate());
                assertEquals(6, step.trainable().size(), "two layers of A and B plus the head weight and bias");
            }

            @Override
            public void onEvaluation(EvaluationEvent evaluation) {
                evals.add(evaluation);
            }
        };
        TrainingResult result = Trainer.train(model.spec(recipe(40), dir).build(), List.of(listener));
        assertEquals(4 * 40, result.steps());
        StringBuilder csv = new StringBuilder("step,loss,learning_rate\n");
        for (int i = 0; i < result.losses().length; i++) {
            csv.append(i).append(',').append(result.losses()[i]).append(',').append(result.learningRates()[i]).append('\n');
        }
        Path curve = Path.of("target", "loss-curve-tiny-lora.csv");
        Files.createDirectories(curve.getParent());
        Files.writeString(curve, csv);
        double lastEpoch = 0;
        for (int i = result.losses().length - 4; i < result.losses().length; i++) {
            lastEpoch += result.losses()[i] / 4;
        }
        double firstEpoch = (result.losses()[0] + result.losses()[1] + result.losses()[2] + result.losses()[3]) / 4;
        System.out.printf(Locale.ROOT, "tiny LoRA: loss %.4f -> %.5f, best accuracy %.3f, step median %.2f ms, %.0f ex/s, %d FLOPs/step%n",
                firstEpoch, lastEpoch, result.best().metrics().get("accuracy"), result.measurements().stepMillisMedian(),
                result.measurements().examplesPerSecond(), result.measurements().flopsPerStepInitial());
        assertTrue(firstEpoch > 0.5, "starts near ln 2, was " + firstEpoch);
        assertTrue(lastEpoch < 0.02, "near-zero training loss, was " + lastEpoch);
        assertEquals(40, evals.size());
        assertTrue(result.best().metrics().get("accuracy") >= 0.95, "validation accuracy " + result.best().metrics());
        assertEquals(0.0, lrsSeen.get(0), "warm-up starts at 0");
        assertTrue(result.measurements().flopsPerStepInitial() > 0);
        assertTrue(result.measurements().peakRssBytes() > 0);
        assertEquals(2L * 2 * TinyEncoder.HIDDEN * TinyEncoder.RANK, result.measurements().trainableInitial());
    }

    @Test
    void sameSeedGivesBitIdenticalRuns() throws IOException {
        TrainingResult a = Trainer.train(new TinyEncoder(1, 3).spec(recipe(3), dir.resolve("a")).optProgressBar(true).build(), List.of());
        TrainingResult b = Trainer.train(new TinyEncoder(1, 3).spec(recipe(3), dir.resolve("b")).build(), List.of());
        assertArrayEquals(a.losses(), b.losses());
        assertEquals(a.evaluations(), b.evaluations());
        for (String k : a.finalParameters().keySet()) {
            assertArrayEquals(a.finalParameters().get(k), b.finalParameters().get(k), k);
        }
    }

    @Test
    void nonFiniteLossStopsWithTheStep() {
        TinyEncoder model = new TinyEncoder(1, 3);
        TrainingHyperparameters hp = new TrainingHyperparameters(2, 16, 1e38, 1e38, 0, 0, 0, 42, 0, 0);
        TrainingException e = assertThrows(TrainingException.class, () -> Trainer.train(model.spec(hp, dir).build(), List.of()));
        assertTrue(e.getMessage().matches("(?s).*the training loss is (NaN|-?Infinity) at step \\d+ \\(epoch \\d+, batch \\d+ of 4\\).*"),
                e.getMessage());
    }

    @Test
    void evaluatesEveryNStepsAndKeepsTheBest() throws IOException {
        TrainingHyperparameters hp = new TrainingHyperparameters(3, 16, 5e-2, 5e-2, 0, 0, 1.0, 42, 5, 0);
        TrainingResult r = Trainer.train(new TinyEncoder(1, 3).spec(hp, dir).build(), List.of());
        assertEquals(List.of(5L, 10L, 12L), r.evaluations().stream().map(EvaluationEvent::step).toList());
        double best = r.evaluations().stream().mapToDouble(e -> e.metrics().get("accuracy")).max().orElseThrow();
        assertEquals(best, r.best().metrics().get("accuracy"));
        assertEquals("accuracy", r.primaryMetric());
    }

    @Test
    void regressionTrainsWithSquaredErrorAndPearson() throws IOException {
        TinyEncoder model = new TinyEncoder(1, 5, 1);
        EncodedDataset train = TinyEncoder.task(60, 8, 1);
        EncodedDataset validation = TinyEncoder.task(24, 8, 2);
        TrainingSpec spec = model.spec(recipe(15), dir).setTask(org.peft4j.api.data.Dataset.TaskType.REGRESSION, 1)
                .setData(asRegression(train), asRegression(validation)).build();
        TrainingResult r = Trainer.train(spec, List.of());
        assertEquals("pearson", r.primaryMetric());
        assertTrue(r.losses()[r.losses().length - 1] < 0.2 * r.losses()[0], r.losses()[0] + " -> " + r.losses()[r.losses().length - 1]);
        assertTrue(r.best().metrics().get("pearson") > 0.9, r.best().metrics().toString());
    }

    private static EncodedDataset asRegression(EncodedDataset d) {
        float[] targets = new float[d.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = d.label(i);
        }
        long[][] t = TestAccess.tokens(d);
        return EncodedDataset.regression(d.sequenceLength(), t[0], t[1], null, targets);
    }
}
