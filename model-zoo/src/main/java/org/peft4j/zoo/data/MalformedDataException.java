package org.peft4j.zoo.data;

import java.io.IOException;
import java.util.Objects;

/**
 * A data file holds a row that cannot be read: a missing column, an unknown label, a value that is
 * not a number, bytes that are not UTF-8, or a split that ends up empty.
 *
 * <p>Contract: the message starts with {@code <source>:<line>: } (or {@code <source>: } when no
 * single line is at fault, {@link #line()} then being 0) and says what was expected.
 */
public class MalformedDataException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;

    /**
     * @param source the file path or resource name; never null
     * @param line the 1-based line number, or 0 when the problem is not on one line
     * @param problem what was wrong and what was expected; never null
     */
    public MalformedDataException(String source, long line, String problem) {
        super(Objects.requireNonNull(source, "source") + (line > 0 ? ":" + line : "") + ": " + Objects.requireNonNull(problem, "problem"));
        this.source = source;
        this.line = line;
    }

    /** The file path or resource name; never null. */
    public String source() {
        return source;
    }

    /** The 1-based line number, or 0 when the problem is not on one line. */
    public long line() {
        return line;
    }
}
