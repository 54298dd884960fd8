package org.peft4j.api.method;

import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameters;
import org.pf4j.ExtensionPoint;

/**
 * A parameter-efficient fine-tuning method (LoRA, ELoRA, AFLoRA, ...), contributed by a plugin.
 *
 * <p>Contract: a method is stateless and thread-safe; all per-run state lives in the
 * {@link Adapter} that {@link #configure} returns. {@link #configure} validates every
 * hyperparameter before returning and throws
 * {@link org.peft4j.api.config.ConfigurationException} naming the key for a bad value (rank 0,
 * negative alpha, ...), so that a config fails before training starts.
 */
public interface PeftMethod extends ExtensionPoint, Identified {

    /**
     * An adapter for one run, bound to validated hyperparameters.
     *
     * @param params the strategy's hyperparameters; never null
     * @return a new adapter; never null
     * @throws org.peft4j.api.config.ConfigurationException for an invalid value, naming its key
     */
    Adapter configure(HyperParameters params);

    /**
     * The id of the {@link org.peft4j.api.freeze.ParameterScorer} used when a strategy with this
     * method names none, or null when the method freezes nothing by default.
     */
    default String defaultScorer() {
        return null;
    }

    /**
     * The id of the {@link org.peft4j.api.freeze.FreezeScheduler} used when a strategy with this
     * method names none, or null when the method freezes nothing by default.
     */
    default String defaultScheduler() {
        return null;
    }
}
