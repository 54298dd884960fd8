package org.peft4j.api;

import java.util.List;
import org.peft4j.api.config.HyperParameter;

/**
 * What every peft4j extension says about itself: an id that configs use to choose it, a one-line
 * description, and the hyperparameters it accepts.
 *
 * <p>Contract: {@link #id()} is non-null, non-empty, lower-case kebab-case ({@code [a-z0-9-]+}),
 * stable across versions and unique among the extensions of one extension point; the runner
 * rejects two extensions of the same point with the same id. {@link #hyperParameters()} never
 * returns null, lists each key once, and every listed parameter has a default and a description.
 * The runner rejects any configured key that is not listed.
 */
public interface Identified {

    /** The id that configs use to select this extension; never null. */
    String id();

    /** A one-line, human-readable description; never null. */
    String description();

    /** The hyperparameters this extension accepts, each with a default; never null. */
    List<HyperParameter<?>> hyperParameters();
}
