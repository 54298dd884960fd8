package org.peft4j.api.training;

import java.util.Objects;

/**
 * What a listener learns about a run when it starts and ends.
 *
 * @param runId unique id of the run within its comparison, such as {@code lora/sentiment-sentences/seed-1}
 * @param strategy the strategy's name in the config
 * @param totalSteps the number of optimizer steps the run will take
 * @param stepsPerEpoch optimizer steps per epoch
 * @param epochs number of epochs
 */
public record RunInfo(String runId, String strategy, long totalSteps, long stepsPerEpoch, int epochs) {
    public RunInfo {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(strategy, "strategy");
    }
}
