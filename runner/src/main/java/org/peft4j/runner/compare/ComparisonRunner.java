package org.peft4j.runner.compare;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.peft4j.runner.config.ComparisonPlan;
import org.peft4j.runner.inject.ExtensionCatalog;
import org.peft4j.runner.report.AtomicFiles;
import org.peft4j.runner.report.ReportWriter;
import org.peft4j.runner.report.ResultsJson;
import org.peft4j.runner.report.Summaries;
import org.peft4j.runner.results.ComparisonResults;
import org.peft4j.runner.results.RunResult;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs a comparison plan: every run in order, each isolated, then the reports.
 *
 * <p>Contract: a run that throws (any exception or error, out of memory included) is recorded as
 * failed with a one-line reason, its stack trace goes to the run's {@code log.txt}, and the next run
 * starts; the outcome counts the failures. The comparison directory is
 * {@code <output-dir>/<name>-<yyyyMMdd-HHmmss>/} and holds {@code config.resolved.yaml}, one
 * directory per run under {@code runs/} with its {@code run.json}, and the reports. With
 * {@code resume}, the newest directory of this comparison is reused: finished runs are read back,
 * the others run again (resuming from their checkpoints), runs the config has gained since run for
 * the first time, and the comparison keeps its first start time.
 */
public final class ComparisonRunner {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final ComparisonPlan plan;
    private final ExtensionCatalog catalog;
    private final RunExecutor executor;
    private final PrintWriter console;

    /**
     * The outcome of a comparison.
     *
     * @param directory the comparison directory
     * @param results every run and the summaries
     * @param reports the written report files
     * @param failedRuns the number of failed runs
     */
    public record Outcome(Path directory, ComparisonResults results, List<Path> reports, int failedRuns) {
    }

    /**
     * @param plan the validated plan
     * @param catalog the extensions, for provenance
     * @param executor executes each run
     * @param console where progress and the summary go
     */
    public ComparisonRunner(ComparisonPlan plan, ExtensionCatalog catalog, RunExecutor executor, PrintWriter console) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.console = Objects.requireNonNull(console, "console");
    }

    /** Runs every run of the plan and writes the reports. */
    public Outcome run(boolean resume) throws IOException {
        Path dir = resume ? latestDirectory() : newDirectory();
        Path resolved = dir.resolve("config.resolved.yaml");
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String resolvedText = "# " + plan.source() + " after interpolation, overrides and merging of defaults\n" + new Yaml(options).dump(plan.resolved());
        if (!Files.exists(resolved)) {
            AtomicFiles.writeString(resolved, resolvedText);
        } else if (!Files.readString(resolved).equals(resolvedText)) {
            // a resumed comparison may have grown (a sweep extended by a few strategies): the directory
            // must describe the plan its reports come from
            Path previous = dir.resolve("config.resolved.previous.yaml");
            Files.copy(resolved, previous, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.writeString(resolved, resolvedText);
            console.println("the config changed since this comparison started: config.resolved.yaml rewritten (the old one is "
                    + previous.getFileName() + "); finished runs are kept, new runs run");
        }
        String started = resume ? startedBefore(dir) : Instant.now().toString();
        List<ComparisonPlan.Run> runs = plan.runs();
        List<RunResult> results = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < runs.size(); i++) {
            ComparisonPlan.Run run = runs.get(i);
            Path runDir = Files.createDirectories(dir.resolve("runs").resolve(run.id()));
            Path record = runDir.resolve("run.json");
            String header = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, runs.size(), run.id());
            if (resume && Files.exists(record)) {
                RunResult previous = JsonFiles.readRun(record);
                if (previous.finished()) {
                    console.println(header + ": finished before, skipped");
                    results.add(previous);
                    continue;
                }
            }
            console.println(header + ": starting");
            console.flush();
            RunResult result;
            try {
                result = executor.execute(new RunContext(plan, run, i + 1, runDir, dir, resume, console));
            } catch (Throwable t) {
                if (t instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                result = failedRun(run, runDir, dir, t);
                failed++;
                console.println(header + ": FAILED: " + result.failure());
                console.println("    details in " + runDir.resolve("log.txt"));
            }
            JsonFiles.writeRun(result, record);
            results.add(result);
            if (result.finished()) {
                console.println(header + ": finished");
            }
            console.flush();
        }
        ComparisonResults all = new ComparisonResults(ComparisonResults.SCHEMA_VERSION, plan.name(), description(), plan.source().toString(),
                plan.referenceStrategy(), started, Instant.now().toString(), EnvironmentProbe.describe(), results,
                Summaries.compute(results, plan.referenceStrategy()));
        List<Path> reports = new java.util.ArrayList<>(ReportWriter.writeAll(all, dir));
        if (plan.markdownCopy() != null) {
            Files.createDirectories(plan.markdownCopy().toAbsolutePath().getParent());
            reports.add(ReportWriter.writeMarkdown(all, plan.markdownCopy()).get(0));
        }
        SummaryTable.print(all, console);
        console.println();
        console.println("reports:");
        for (Path p : reports) {
            console.println("  " + p);
        }
        console.flush();
        return new Outcome(dir, all, reports, failed);
    }

    private String description() {
        Object d = plan.resolved().get("description");
        return d == null ? null : String.valueOf(d);
    }

    private RunResult failedRun(ComparisonPlan.Run run, Path runDir, Path dir, Throwable t) {
        String reason = reason(t);
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        try {
            Files.writeString(runDir.resolve("log.txt"), "run " + run.id() + " failed: " + reason + "\n\n" + trace, java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            console.println("    (could not write " + runDir.resolve("log.txt") + ": " + e.getMessage() + ")");
        }
        return new RunResult(run.id(), run.strategy().name(), run.dataset().label(), run.seed(), "failed", reason,
                Provenances.of(plan, run, catalog, run.training().device()), null, -1, Map.of(), Map.of(), null, null, List.of(),
                List.of(), List.of(), List.of(), dir.relativize(runDir).toString());
    }

    /** A one-line reason for a failure: the innermost message that says something. */
    static String reason(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "out of memory: " + t.getMessage();
        }
        String message = t.getMessage();
        Throwable cause = t.getCause();
        if ((message == null || message.isBlank()) && cause != null) {
            return reason(cause);
        }
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        boolean ours = t.getClass().getName().startsWith("org.peft4j") || t instanceof IllegalArgumentException
                || t instanceof IllegalStateException || t instanceof IOException;
        return ours && !line.isEmpty() ? line : t.getClass().getSimpleName() + (line.isEmpty() ? "" : ": " + line);
    }

    /** When the comparison in {@code dir} first started, so a resumed comparison keeps its start. */
    private String startedBefore(Path dir) {
        Path results = dir.resolve("results.json");
        if (Files.exists(results)) {
            try {
                return ResultsJson.read(results).startedAt();
            } catch (IOException | RuntimeException e) {
                console.println("(could not read the start time from " + results + ": " + e.getMessage() + ")");
            }
        }
        return Instant.now().toString();
    }

    private Path newDirectory() throws IOException {
        Path base = Files.createDirectories(plan.outputDirectory());
        Path dir = base.resolve(plan.name() + "-" + LocalDateTime.now().format(STAMP));
        for (int n = 2; Files.exists(dir); n++) {
            dir = base.resolve(plan.name() + "-" + LocalDateTime.now().format(STAMP) + "-" + n);
        }
        return Files.createDirectories(dir);
    }

    private Path latestDirectory() throws IOException {
        Path base = plan.outputDirectory();
        if (Files.isDirectory(base)) {
            try (Stream<Path> dirs = Files.list(base)) {
                // the stamp must follow the name directly: 'reproduce' must not resume 'reproduce-sweep'
                Pattern own = Pattern.compile(Pattern.quote(plan.name()) + "-\\d{8}-\\d{6}(-\\d+)?");
                Path latest = dirs.filter(p -> own.matcher(p.getFileName().toString()).matches())
                        .filter(p -> Files.exists(p.resolve("config.resolved.yaml")))
                        .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
                if (latest != null) {
                    console.println("resuming " + latest);
                    return latest;
                }
            }
        }
        console.println("nothing to resume for '" + plan.name() + "' in " + base + "; starting a new comparison");
        return newDirectory();
    }
}
