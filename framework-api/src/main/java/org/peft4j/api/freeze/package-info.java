/**
 * Adaptive freezing: {@link org.peft4j.api.freeze.ParameterScorer}s score trainable tensors from
 * their gradients, and {@link org.peft4j.api.freeze.FreezeScheduler}s decide from those scores and
 * the step which tensors freeze. AFLoRA contributes one of each; either can be swapped by config.
 */
package org.peft4j.api.freeze;
