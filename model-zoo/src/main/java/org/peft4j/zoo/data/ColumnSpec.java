package org.peft4j.zoo.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which columns of a table hold the text, the optional second text and the label.
 *
 * <p>Contract: {@link #bind} checks a header once and fails naming the file, the missing column
 * and the columns present; the bound form then extracts {@link RawExample}s from rows, failing
 * naming the file and line when a row has a different number of fields than the header.
 *
 * @param text the column of the first text
 * @param pair the column of the second text, or null for single texts
 * @param label the column of the label or regression target
 */
public record ColumnSpec(String text, String pair, String label) {

    public ColumnSpec {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
    }

    /**
     * Binds this spec to a header.
     *
     * @param header the column names of the file
     * @param source the file, for messages
     * @param line the header's line, or 0 when the file has no header row
     */
    public Bound bind(List<String> header, String source, long line) throws MalformedDataException {
        int t = column(header, text, source, line);
        int p = pair == null ? -1 : column(header, pair, source, line);
        int l = column(header, label, source, line);
        return new Bound(List.copyOf(header), t, p, l, source);
    }

    private static int column(List<String> header, String name, String source, long line) throws MalformedDataException {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new MalformedDataException(source, line, "no column '" + name + "'; the columns are " + header);
        }
        return i;
    }

    /** A spec bound to one file's header. */
    public static final class Bound {
        private final List<String> header;
        private final int text;
        private final int pair;
        private final int label;
        private final String source;

        private Bound(List<String> header, int text, int pair, int label, String source) {
            this.header = header;
            this.text = text;
            this.pair = pair;
            this.label = label;
            this.source = source;
        }

        /** The number of columns every row must have. */
        public int width() {
            return header.size();
        }

        /**
         * The example in one row.
         *
         * @param fields the row's fields
         * @param line the row's 1-based line
         * @throws MalformedDataException when the row has the wrong number of fields
         */
        public RawExample extract(List<String> fields, long line) throws MalformedDataException {
            if (fields.size() != header.size()) {
                throw new MalformedDataException(source, line, "expected " + header.size() + " columns " + header + ", found "
                        + fields.size());
            }
            return new RawExample(fields.get(text), pair < 0 ? null : fields.get(pair), fields.get(label), source, line);
        }

        /**
         * The example in a row given as named values, for formats whose rows carry their own keys.
         *
         * @param values the row's value of each header column, null where absent
         * @param line the row's 1-based line
         * @throws MalformedDataException naming the first missing column
         */
        public RawExample extractNamed(List<String> values, long line) throws MalformedDataException {
            List<String> missing = new ArrayList<>();
            int[] needed = pair < 0 ? new int[] {text, label} : new int[] {text, pair, label};
            for (int i : needed) {
                if (values.get(i) == null) {
                    missing.add(header.get(i));
                }
            }
            if (!missing.isEmpty()) {
                throw new MalformedDataException(source, line, "missing " + (missing.size() == 1 ? "field " : "fields ") + missing);
            }
            return new RawExample(values.get(text), pair < 0 ? null : values.get(pair), values.get(label), source, line);
        }
    }
}
