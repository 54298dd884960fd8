package org.peft4j.api.data;

import java.util.Objects;

/**
 * One labelled example.
 *
 * @param text the first (or only) text
 * @param pair the second text of a pair, or null
 * @param label the class index for classification, -1 for regression
 * @param target the real target for regression, NaN for classification
 */
public record Example(String text, String pair, int label, double target) {

    public Example {
        Objects.requireNonNull(text, "text");
    }

    /** A single-text classification example. */
    public static Example classified(String text, int label) {
        return new Example(text, null, label, Double.NaN);
    }
}
