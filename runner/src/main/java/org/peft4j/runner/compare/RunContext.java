package org.peft4j.runner.compare;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;
import org.peft4j.runner.config.ComparisonPlan;

/**
 * What a {@link RunExecutor} gets for one run.
 *
 * @param plan the whole comparison
 * @param run the run to execute
 * @param index the run's 1-based position in the plan
 * @param directory the run's own directory (exists)
 * @param comparisonDirectory the comparison's directory
 * @param resume whether to continue from the run's latest checkpoint if there is one
 * @param console where progress goes
 */
public record RunContext(ComparisonPlan plan, ComparisonPlan.Run run, int index, Path directory, Path comparisonDirectory, boolean resume,
        PrintWriter console) {

    public RunContext {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(console, "console");
    }
}
