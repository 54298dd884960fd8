package org.peft4j.api.model;

import java.io.IOException;
import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameters;
import org.pf4j.ExtensionPoint;

/**
 * Supplies a pre-trained encoder (MiniLM, BGE, a user's ONNX file, a generated test model).
 *
 * <p>Contract: loading never reaches the network; a missing or malformed file is an
 * {@link IOException} whose message names the file and what was expected. Bad hyperparameters
 * throw {@link org.peft4j.api.config.ConfigurationException} naming the key.
 */
public interface ModelProvider extends ExtensionPoint, Identified {

    /**
     * Loads the model.
     *
     * @param params the model's hyperparameters (such as {@code path} for a user's file)
     * @param context services of the engine; never null
     */
    EncoderModel load(HyperParameters params, ModelContext context) throws IOException;
}
