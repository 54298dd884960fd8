package org.peft4j.runner.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a benchmark ran on, read from {@code /proc} where it exists.
 *
 * @param cores available processors as the JVM sees them
 * @param cpuModel the CPU model name, or {@code unknown}
 * @param memoryBytes total memory, or -1 when unknown
 * @param loadAverageStart the one-minute load average when the benchmark started, or -1
 * @param loadAverageEnd the one-minute load average when it ended, or -1
 * @param os operating system name and version
 * @param javaVersion Java runtime version
 */
public record Machine(int cores, String cpuModel, long memoryBytes, double loadAverageStart, double loadAverageEnd, String os,
        String javaVersion) {

    /** The machine now; the end load is filled in by {@link #withEndLoad()}. */
    public static Machine probe() {
        String cpu = "unknown";
        long memory = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: keep unknown
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memory = Long.parseLong(line.substring(9).trim().split("\\s+")[0]) * 1024;
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), cpu, memory, loadAverage(), -1,
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.version"));
    }

    /** This machine with the current load average as the end load. */
    public Machine withEndLoad() {
        return new Machine(cores, cpuModel, memoryBytes, loadAverageStart, loadAverage(), os, javaVersion);
    }

    static double loadAverage() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/loadavg"));
            return Double.parseDouble(lines.get(0).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return l < 0 ? -1 : l;
        }
    }
}
