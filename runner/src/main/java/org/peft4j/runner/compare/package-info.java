/**
 * Comparison runs: the plan's runs executed in order, each isolated (a failure is recorded with its
 * reason and the others go on), in a run directory that holds the resolved config, each run's
 * artifacts, checkpoints, per-step metrics and logs, and the reports; {@code --resume} skips what
 * finished and resumes what was interrupted.
 */
package org.peft4j.runner.compare;
