package org.peft4j.runner.compare;

import org.peft4j.runner.results.RunResult;

/**
 * Executes one run of a comparison: builds the model with the strategy's adapter, trains,
 * evaluates and measures.
 *
 * <p>Contract: returns a finished {@link RunResult}, or throws; the {@link ComparisonRunner}
 * records any exception (or error, such as running out of memory) as the run's failure and goes
 * on with the next run. An executor writes only inside {@link RunContext#directory()}.
 */
public interface RunExecutor {

    /** Executes the run. */
    RunResult execute(RunContext context) throws Exception;
}
