package org.peft4j.api.method;

import java.util.Set;

/**
 * Read access to the current values of adapter parameters and constants, by name.
 *
 * <p>Contract: {@link #get} returns a fresh copy, row-major in the parameter's shape, and throws
 * {@link IllegalArgumentException} naming the parameter when it is unknown.
 */
public interface ParameterValues {

    /** A copy of the named tensor's values. */
    float[] get(String name);

    /** Every name that {@link #get} accepts. */
    Set<String> names();
}
