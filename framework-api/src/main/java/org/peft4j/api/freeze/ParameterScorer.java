package org.peft4j.api.freeze;

import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameters;
import org.pf4j.ExtensionPoint;

/**
 * Turns a training step's parameters and gradients into importance scores (AFLoRA's freezing
 * score is one).
 *
 * <p>Contract: stateless and thread-safe; per-run state lives in the {@link Scoring} that
 * {@link #create} returns, which validates the hyperparameters and throws
 * {@link org.peft4j.api.config.ConfigurationException} naming a bad key.
 */
public interface ParameterScorer extends ExtensionPoint, Identified {

    /** A fresh scoring state for one run. */
    Scoring create(HyperParameters params);
}
