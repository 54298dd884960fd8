package org.peft4j.api.data;

import java.io.IOException;
import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameters;
import org.pf4j.ExtensionPoint;

/**
 * Supplies a labelled dataset (bundled sentiment sentences, GLUE from the user's directory, the
 * user's CSV or JSONL).
 *
 * <p>Contract: a malformed row is an {@link IOException} whose message names the file, the line
 * and what was expected; an empty split is an error too. Splits are deterministic for a given
 * configuration.
 */
public interface DatasetProvider extends ExtensionPoint, Identified {

    /** Loads the dataset. */
    Dataset load(HyperParameters params, DataContext context) throws IOException;
}
