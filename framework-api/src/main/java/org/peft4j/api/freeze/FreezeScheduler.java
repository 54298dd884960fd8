package org.peft4j.api.freeze;

import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameters;
import org.pf4j.ExtensionPoint;

/**
 * Decides, from the step, the total number of steps and the scores, which tensors freeze (AFLoRA's
 * cubic schedule is one).
 *
 * <p>Contract: stateless and thread-safe; {@link #create} validates the hyperparameters and throws
 * {@link org.peft4j.api.config.ConfigurationException} naming a bad key.
 */
public interface FreezeScheduler extends ExtensionPoint, Identified {

    /** A schedule for one run. */
    FreezeSchedule create(HyperParameters params);
}
