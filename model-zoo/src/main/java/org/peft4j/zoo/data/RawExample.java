package org.peft4j.zoo.data;

import java.util.Objects;
import org.peft4j.api.data.Example;

/**
 * An example as read from a file, before its label is mapped to an index: the texts, the label as
 * written, and where it came from.
 *
 * @param text the first text; never null
 * @param pair the second text, or null
 * @param label the label or target exactly as written; never null
 * @param source the file or resource it was read from
 * @param line the 1-based line it starts on
 */
public record RawExample(String text, String pair, String label, String source, long line) {

    public RawExample {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(source, "source");
    }

    /**
     * The classification example with the label mapped through {@code labels}.
     *
     * @throws MalformedDataException naming the file and line when the label is unknown
     */
    public Example classified(LabelMapping labels) throws MalformedDataException {
        return new Example(text, pair, labels.indexOf(this), Double.NaN);
    }

    /**
     * The regression example whose target is the label parsed as a number.
     *
     * @throws MalformedDataException naming the file and line when it is not a finite number
     */
    public Example regression() throws MalformedDataException {
        double target;
        try {
            target = Double.parseDouble(label.trim());
        } catch (NumberFormatException e) {
            target = Double.NaN;
        }
        if (!Double.isFinite(target)) {
            throw new MalformedDataException(source, line, "regression target '" + label + "' is not a finite number");
        }
        return new Example(text, pair, -1, target);
    }
}
