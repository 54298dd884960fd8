package org.peft4j.runner.compare;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peft4j.runner.report.AtomicFiles;
import org.peft4j.runner.report.ResultsJson;
import org.peft4j.runner.results.RunResult;

/** Reads and writes run records, atomically, in the encoding of {@code results.json}. */
final class JsonFiles {

    // the encoding of results.json (non-finite numbers as strings), so a run record is valid JSON too
    private static final Gson GSON = ResultsJson.gson();

    private JsonFiles() {
    }

    static void writeRun(RunResult result, Path file) throws IOException {
        AtomicFiles.writeString(file, GSON.toJson(result));
    }

    static RunResult readRun(Path file) throws IOException {
        try {
            RunResult r = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), RunResult.class);
            if (r == null || r.runId() == null || r.status() == null) {
                throw new IOException(file + ": not a run record (no runId or status)");
            }
            return r;
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a readable run record: " + e.getMessage(), e);
        }
    }
}
