package org.peft4j.runner.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.ToNumberPolicy;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.RunResult;

/**
 * Reads and writes {@code results.json}, the machine-readable results of a comparison (schema version
 * {@value ComparisonResults#SCHEMA_VERSION}, documented field by field in {@code docs/results-schema.md}).
 *
 * <p>The file is UTF-8 JSON, pretty-printed, one object whose keys are the components of {@link ComparisonResults}
 * (nested records become nested objects with their component names as keys). Absent values are written as
 * {@code null}, never left out. JSON has no NaN or infinities, so non-finite floating-point values are written as the
 * strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}; reading accepts those strings (and numbers) where a
 * number is expected. Numbers inside the free-form hyperparameter maps read back as {@link Long} when integral and
 * {@link Double} otherwise. Writing is atomic ({@link AtomicFiles}).
 */
public final class ResultsJson {

    private static final Gson GSON = new GsonBuilder()
            .serializeNulls()
            .setPrettyPrinting()
            .disableHtmlEscaping()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .registerTypeAdapter(Double.class, new NonFiniteDoubleAdapter().nullSafe())
            .registerTypeAdapter(double.class, new NonFiniteDoubleAdapter())
            .create();

    private ResultsJson() {
    }

    /**
     * The Gson instance of this format (non-finite numbers as strings, nulls written, no HTML escaping), for other
     * files that hold the same records, such as a single run's record.
     */
    public static Gson gson() {
        return GSON;
    }

    /** The results as the JSON text {@link #write} puts in the file. */
    public static String toJson(ComparisonResults results) {
        return GSON.toJson(Objects.requireNonNull(results, "results")) + "\n";
    }

    /**
     * Writes {@code results} to {@code file} atomically.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(ComparisonResults results, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(results));
    }

    /**
     * Reads a {@code results.json} file.
     *
     * @throws NoSuchFileException if the file does not exist
     * @throws IOException if it cannot be read
     * @throws ResultsFormatException if it is not a valid results file of a supported schema version
     */
    public static ComparisonResults read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        }
    }

    /**
     * Parses results JSON.
     *
     * @param source the name of the source for error messages (a file name)
     * @throws ResultsFormatException if it is not a valid results document of a supported schema version
     */
    public static ComparisonResults parse(Reader reader, String source) {
        ComparisonResults results;
        JsonReader json = new JsonReader(reader);
        try {
            json.setStrictness(com.google.gson.Strictness.STRICT);
            results = GSON.fromJson(json, ComparisonResults.class);
            if (json.peek() != JsonToken.END_DOCUMENT) {
                throw new ResultsFormatException(source + ": unexpected content after the results object at " + json.getPath());
            }
        } catch (JsonParseException | IllegalStateException | IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            String path = json.getPath();
            if (!message.contains(" path ") && !message.contains(" at $")) {
                message += " (at " + path + ")";
            }
            throw new ResultsFormatException(source + ": not a valid results file: " + message, e);
        }
        if (results == null) {
            throw new ResultsFormatException(source + ": empty file, expected a results object");
        }
        validate(results, source);
        return results;
    }

    private static void validate(ComparisonResults r, String source) {
        if (r.schemaVersion() != ComparisonResults.SCHEMA_VERSION) {
            throw new ResultsFormatException(source + ": schemaVersion " + r.schemaVersion() + " is not supported (expected "
                    + ComparisonResults.SCHEMA_VERSION + ")");
        }
        require(r.name(), source, "$.name");
        require(r.runs(), source, "$.runs");
        require(r.summaries(), source, "$.summaries");
        List<RunResult> runs = r.runs();
        for (int i = 0; i < runs.size(); i++) {
            RunResult run = runs.get(i);
            String at = "$.runs[" + i + "]";
            require(run, source, at);
            require(run.runId(), source, at + ".runId");
            require(run.strategy(), source, at + ".strategy");
            require(run.dataset(), source, at + ".dataset");
            require(run.status(), source, at + ".status");
            if (!run.status().equals("finished") && !run.status().equals("failed")) {
                throw new ResultsFormatException(source + ": " + at + ".status is '" + run.status() + "', expected 'finished' or 'failed'");
            }
        }
        for (int i = 0; i < r.summaries().size(); i++) {
            String at = "$.summaries[" + i + "]";
            ComparisonResults.Summary s = r.summaries().get(i);
            require(s, source, at);
            require(s.strategy(), source, at + ".strategy");
            require(s.dataset(), source, at + ".dataset");
            require(s.test(), source, at + ".test");
            require(s.validation(), source, at + ".validation");
            Map<String, ComparisonResults.MeanStd> stats = new LinkedHashMap<>();
            stats.put("initialParams", s.initialParams());
            stats.put("finalParams", s.finalParams());
            stats.put("timeAveragedParams", s.timeAveragedParams());
            stats.put("headParams", s.headParams());
            stats.put("medianStepMillis", s.medianStepMillis());
            stats.put("wallSeconds", s.wallSeconds());
            stats.put("flopsPerStep", s.flopsPerStep());
            stats.put("totalFlops", s.totalFlops());
            stats.put("peakRssBytes", s.peakRssBytes());
            stats.forEach((key, value) -> require(value, source, at + "." + key));
        }
    }

    private static void require(Object value, String source, String path) {
        if (value == null) {
            throw new ResultsFormatException(source + ": missing required value " + path);
        }
    }

    /** Doubles as JSON numbers, with NaN and the infinities as strings. */
    private static final class NonFiniteDoubleAdapter extends TypeAdapter<Double> {

        @Override
        public void write(JsonWriter out, Double value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else if (value.isNaN()) {
                out.value("NaN");
            } else if (value.isInfinite()) {
                out.value(value > 0 ? "Infinity" : "-Infinity");
            } else {
                out.value(value.doubleValue());
            }
        }

        @Override
        public Double read(JsonReader in) throws IOException {
            JsonToken token = in.peek();
            switch (token) {
                case NULL:
                    in.nextNull();
                    return null;
                case NUMBER:
                    return in.nextDouble();
                case STRING: {
                    String path = in.getPath();
                    String s = in.nextString();
                    switch (s) {
                        case "NaN":
                            return Double.NaN;
                        case "Infinity":
                            return Double.POSITIVE_INFINITY;
                        case "-Infinity":
                            return Double.NEGATIVE_INFINITY;
                        default:
                            throw new JsonParseException("expected a number, \"NaN\", \"Infinity\" or \"-Infinity\" at " + path
                                    + ", found \"" + s + "\"");
                    }
                }
                default:
                    throw new JsonParseException("expected a number at " + in.getPath() + ", found " + token);
            }
        }
    }
}
