package org.peft4j.engine.train;

/**
 * Cost figures of one run (of this process's part of it, when it resumed).
 *
 * @param wallSeconds wall time of {@link Trainer#train}, compilation and evaluation included
 * @param trainingSeconds time spent in training steps (batch feeding, forward, backward, update)
 * @param stepMillisMedian median training step time
 * @param stepMillisP90 90th percentile training step time
 * @param examplesPerSecond real (unpadded) training examples per second of step time
 * @param peakRssBytes the process's peak resident memory (VmHWM), or -1 where unknown
 * @param flopsPerStepInitial analytic FLOPs of the first step's artifacts
 * @param flopsPerStepMean mean analytic FLOPs per step over the run
 * @param totalFlops analytic FLOPs of every training step of the run
 * @param trainableInitial trainable adapter scalars at the first step
 * @param trainableFinal trainable adapter scalars at the last step
 * @param trainableTimeAveraged mean over every step of the trainable adapter scalars
 * @param compilations artifact sets compiled or loaded from the cache by this process
 * @param stepsMeasured training steps this process ran
 */
public record RunMeasurements(double wallSeconds, double trainingSeconds, double stepMillisMedian, double stepMillisP90,
        double examplesPerSecond, long peakRssBytes, long flopsPerStepInitial, double flopsPerStepMean, double totalFlops,
        long trainableInitial, long trainableFinal, double trainableTimeAveraged, int compilations, long stepsMeasured) {

    /** The process's peak resident set size from {@code /proc/self/status}, or -1 where unavailable. */
    public static long peakRss() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
