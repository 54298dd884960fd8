package org.peft4j.api.training;

import java.util.Map;
import java.util.Objects;

/**
 * The result of one evaluation during training.
 *
 * @param epoch the 0-based epoch that just ended
 * @param step completed optimizer steps
 * @param split the evaluated split, such as {@code validation}
 * @param metrics metric id to value
 */
public record EvaluationEvent(int epoch, long step, String split, Map<String, Double> metrics) {
    public EvaluationEvent {
        Objects.requireNonNull(split, "split");
        metrics = Map.copyOf(metrics);
    }
}
