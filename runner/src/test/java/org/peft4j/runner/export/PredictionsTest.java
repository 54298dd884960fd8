package org.peft4j.runner.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peft4j.api.data.Dataset;

/** Labels and probabilities from logits. */
class PredictionsTest {

    @Test
    void classificationIsTheArgMaxWithItsSoftmaxProbability() {
        List<Predictions.Prediction> two = Predictions.of(new float[] {0f, (float) Math.log(3), 2f, 2f, 1000f, -1000f},
                Dataset.TaskType.CLASSIFICATION, List.of("neg", "pos"));
        assertEquals(new Predictions.Prediction(1, "pos", 0.75), round(two.get(0)));
        assertEquals(new Predictions.Prediction(0, "neg", 0.5), round(two.get(1)), "a tie goes to the lower index");
        assertEquals(new Predictions.Prediction(0, "neg", 1.0), round(two.get(2)), "large logits do not overflow");
    }

    @Test
    void regressionPrintsTheScore() {
        List<Predictions.Prediction> p = Predictions.of(new float[] {2.5f, -1f}, Dataset.TaskType.REGRESSION, List.of());
        assertEquals(2, p.size());
        assertEquals(2.5, p.get(0).score());
        assertEquals("", p.get(1).label());
    }

    @Test
    void logitsThatDoNotFillRowsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Predictions.of(new float[3], Dataset.TaskType.CLASSIFICATION, List.of("a", "b")));
    }

    private static Predictions.Prediction round(Predictions.Prediction p) {
        return new Predictions.Prediction(p.index(), p.label(), Math.round(p.score() * 1e6) / 1e6);
    }
}
