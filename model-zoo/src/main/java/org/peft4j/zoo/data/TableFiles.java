package org.peft4j.zoo.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads labelled examples from tab-separated, comma-separated and JSON-lines files.
 *
 * <p>Contract: every reader decodes strict UTF-8 (see {@link LineReader}), skips lines that are
 * empty, and returns the examples in file order. Errors are {@link MalformedDataException}s naming
 * the file and line: a missing file, a missing header, a missing column, a row with the wrong
 * number of fields, an unterminated quote, a line that is not a JSON object, or a field that is
 * neither a string, a number nor a boolean.
 * <ul>
 *   <li>TSV is the GLUE dialect: fields are split at every tab, with no quoting at all (quote
 *       characters are ordinary text).</li>
 *   <li>CSV follows RFC 4180: fields may be enclosed in double quotes, a doubled quote inside
 *       stands for one, and quoted fields may span lines (the example's line is where its record
 *       starts). The delimiter is configurable.</li>
 *   <li>JSONL holds one JSON object per line; numbers are read as written (integral numbers
 *       without a fraction), booleans as {@code true}/{@code false}.</li>
 * </ul>
 */
public final class TableFiles {

    private TableFiles() {
    }

    /**
     * Reads a TSV file.
     *
     * @param file the file
     * @param columns the columns to read
     * @param headerless the column names when the file has no header row (CoLA), or null when its
     *     first line is the header
     */
    public static List<RawExample> readTsv(Path file, ColumnSpec columns, List<String> headerless) throws IOException {
        try (LineReader in = open(file)) {
            ColumnSpec.Bound bound;
            if (headerless == null) {
                String header = in.readLine();
                if (header == null) {
                    throw new MalformedDataException(in.source(), 0, "the file is empty; expected a header row");
                }
                bound = columns.bind(Arrays.asList(header.split("\t", -1)), in.source(), in.lineNumber());
            } else {
                bound = columns.bind(headerless, in.source(), 0);
            }
            List<RawExample> out = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isEmpty()) {
                    out.add(bound.extract(Arrays.asList(line.split("\t", -1)), in.lineNumber()));
                }
            }
            return out;
        }
    }

    /**
     * Reads a CSV file whose first record is the header.
     *
     * @param file the file
     * @param columns the columns to read
     * @param delimiter the field delimiter, such as {@code ','}
     */
    public static List<RawExample> readCsv(Path file, ColumnSpec columns, char delimiter) throws IOException {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("invalid CSV delimiter '" + delimiter + "'");
        }
        try (LineReader in = open(file)) {
            CsvRecords records = new CsvRecords(in, delimiter);
            List<String> header = records.next();
            if (header == null) {
                throw new MalformedDataException(in.source(), 0, "the file is empty; expected a header row");
            }
            ColumnSpec.Bound bound = columns.bind(header, in.source(), records.recordLine());
            List<RawExample> out = new ArrayList<>();
            List<String> fields;
            while ((fields = records.next()) != null) {
                out.add(bound.extract(fields, records.recordLine()));
            }
            return out;
        }
    }

    /**
     * Reads a JSON-lines file.
     *
     * @param file the file
     * @param columns the keys to read
     */
    public static List<RawExample> readJsonl(Path file, ColumnSpec columns) throws IOException {
        List<String> keys = new ArrayList<>();
        keys.add(columns.text());
        if (columns.pair() != null) {
            keys.add(columns.pair());
        }
        keys.add(columns.label());
        try (LineReader in = open(file)) {
            ColumnSpec.Bound bound = columns.bind(keys, in.source(), 0);
            List<RawExample> out = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject object;
                try {
                    JsonElement e = JsonParser.parseString(line);
                    if (!e.isJsonObject()) {
                        throw new MalformedDataException(in.source(), in.lineNumber(), "expected a JSON object, found " + kind(e));
                    }
                    object = e.getAsJsonObject();
                } catch (JsonParseException e) {
                    throw new MalformedDataException(in.source(), in.lineNumber(), "not valid JSON: " + rootMessage(e));
                }
                List<String> values = new ArrayList<>();
                for (String key : keys) {
                    values.add(scalar(object.get(key), key, in));
                }
                out.add(bound.extractNamed(values, in.lineNumber()));
            }
            return out;
        }
    }

    private static String scalar(JsonElement e, String key, LineReader in) throws MalformedDataException {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive()) {
            throw new MalformedDataException(in.source(), in.lineNumber(), "field '" + key + "' is " + kind(e)
                    + "; expected a string, a number or a boolean");
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isNumber()) {
            java.math.BigDecimal d = p.getAsBigDecimal();
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        return p.getAsString();
    }

    private static String kind(JsonElement e) {
        if (e.isJsonArray()) {
            return "an array";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.isJsonNull()) {
            return "null";
        }
        return "a " + (e.getAsJsonPrimitive().isString() ? "string" : e.getAsJsonPrimitive().isNumber() ? "number" : "boolean");
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    static LineReader open(Path file) throws IOException {
        InputStream stream;
        try {
            stream = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file.toString(), 0, "no such file");
        }
        return new LineReader(stream, file.toString());
    }

    /** RFC 4180 records over a line reader. */
    private static final class CsvRecords {
        private final LineReader in;
        private final char delimiter;
        private long recordLine;

        CsvRecords(LineReader in, char delimiter) {
            this.in = in;
            this.delimiter = delimiter;
        }

        long recordLine() {
            return recordLine;
        }

        /** The next record's fields, skipping empty lines, or null at the end. */
        List<String> next() throws IOException {
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    return null;
                }
            } while (line.isEmpty());
            recordLine = in.lineNumber();
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int i = 0;
            while (true) {
                if (i < line.length() && line.charAt(i) == '"' && field.length() == 0) {
                    i++;
                    while (true) {
                        if (i == line.length()) {
                            String more = in.readLine();
                            if (more == null) {
                                throw new MalformedDataException(in.source(), recordLine, "unterminated quoted field");
                            }
                            field.append('\n');
                            line = more;
                            i = 0;
                            continue;
                        }
                        char c = line.charAt(i);
                        if (c == '"') {
                            if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                                field.append('"');
                                i += 2;
                            } else {
                                i++;
                                break;
                            }
                        } else {
                            field.append(c);
                            i++;
                        }
                    }
                    if (i < line.length() && line.charAt(i) != delimiter) {
                        throw new MalformedDataException(in.source(), in.lineNumber(), "unexpected character '" + line.charAt(i)
                                + "' after a closing quote; expected the delimiter '" + delimiter + "' or the end of the line");
                    }
                } else {
                    while (i < line.length() && line.charAt(i) != delimiter) {
                        field.append(line.charAt(i));
                        i++;
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (i >= line.length()) {
                    return fields;
                }
                i++; // the delimiter
                if (i == line.length()) {
                    fields.add("");
                    return fields;
                }
            }
        }
    }
}
