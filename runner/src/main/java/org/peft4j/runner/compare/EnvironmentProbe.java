package org.peft4j.runner.compare;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.peft4j.runner.Peft4jVersion;
import org.peft4j.runner.results.ComparisonResults;

/** Describes the machine and build a comparison ran on, for provenance. */
public final class EnvironmentProbe {

    private EnvironmentProbe() {
    }

    /** The environment of this process. */
    public static ComparisonResults.Environment describe() {
        return new ComparisonResults.Environment(Peft4jVersion.get(), gitCommit(), System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"), cpuModel(), Runtime.getRuntime().availableProcessors(), memoryBytes(), Peft4jVersion.onnxRuntime());
    }

    /** The commit of the peft4j checkout the launcher ran from ({@code -Dpeft4j.home}), or {@code unknown}. */
    public static String gitCommit() {
        String home = System.getProperty("peft4j.home", ".");
        try {
            Process p = new ProcessBuilder("git", "-C", home, "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.matches("[0-9a-f]{40}")) {
                return "unknown";
            }
            Process dirty = new ProcessBuilder("git", "-C", home, "status", "--porcelain", "--untracked-files=no").redirectErrorStream(true).start();
            String changes;
            try (InputStream in = dirty.getInputStream()) {
                changes = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            dirty.waitFor(10, TimeUnit.SECONDS);
            return changes.isEmpty() ? out : out + " (with uncommitted changes)";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    static long memoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return Runtime.getRuntime().maxMemory();
    }
}
