/**
 * The training loop: {@link org.peft4j.engine.train.Trainer#train} runs epochs over a shuffled,
 * seeded, pre-tokenised dataset through compiled artifacts, with a linear warm-up/decay schedule,
 * evaluation with the best epoch kept, listeners, adaptive freezing (scoring and schedule from the
 * API, with recompilation), NaN detection, checkpoints and resume, and built-in measurement.
 */
package org.peft4j.engine.train;
