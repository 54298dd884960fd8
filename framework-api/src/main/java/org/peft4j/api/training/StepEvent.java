package org.peft4j.api.training;

import java.util.Map;
import java.util.Set;

/**
 * One optimizer step, as listeners see it: after the forward and backward passes, before the
 * parameter update.
 *
 * <p>Contract: {@link #step()} counts completed optimizer steps (0 at the first event);
 * {@link #trainable()} holds every tensor that trains at this step, and is valid only during the
 * callback (see {@link ParameterState}).
 */
public interface StepEvent {

    /** Completed optimizer steps before this one; 0 at the first step. */
    long step();

    /** The 0-based epoch. */
    int epoch();

    /** The mean loss of this step's batch. */
    double loss();

    /** The learning rate this step's update uses (the adapter group's). */
    double learningRate();

    /** The parameters that train at this step, with their gradients; read-only. */
    Map<String, ParameterState> trainable();

    /** The adapter parameters frozen so far; read-only. */
    Set<String> frozen();

    /** The number of trainable scalars at this step, the head excluded. */
    long trainableParameterCount();
}
