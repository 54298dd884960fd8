package org.peft4j.runner.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a merged model against the run it came from: both score the same probe sentences, and the
 * largest absolute logit difference is reported.
 *
 * <p>Contract: {@link #maxDifference} runs the unmerged evaluation graph (the run's own evaluation
 * path, {@link Predictor#adapted}) and the merged file ({@link Predictor#merged}) on
 * {@link #PROBES} and returns {@code max |merged - unmerged|} over every logit; NaN in either
 * gives NaN.
 */
public final class MergeCheck {

    /** The largest difference {@code peft4j export onnx} accepts. */
    public static final double TOLERANCE = 1e-4;

    /** The probe sentences, a mix of lengths, cases and punctuation, one pair. */
    public static final List<Predictor.Text> PROBES = List.of(
            new Predictor.Text("A quietly moving film with a wonderful cast.", null),
            new Predictor.Text("dull, predictable and far too long", null),
            new Predictor.Text("I would not watch it again.", null),
            new Predictor.Text("The service was quick and the food was excellent!", null),
            new Predictor.Text("ok", null),
            new Predictor.Text("Two hours of my life that I will never get back, although the music was nice.", null),
            new Predictor.Text("The battery lasts all day.", "It broke after a week."),
            new Predictor.Text("Nothing special, nothing terrible.", null));

    private MergeCheck() {
    }

    /** The largest absolute logit difference between the merged model in {@code dir} and the run. */
    public static double maxDifference(TrainedState state, Path dir, ExtensionLookup lookup) throws IOException {
        float[] reference;
        try (Predictor unmerged = Predictor.adapted(state, lookup)) {
            reference = unmerged.logits(PROBES, PROBES.size());
        }
        float[] merged;
        try (Predictor m = Predictor.merged(dir, lookup)) {
            merged = m.logits(PROBES, PROBES.size());
        }
        if (merged.length != reference.length) {
            throw new IllegalStateException("the merged model gives " + merged.length + " logits for the probes, the run " + reference.length);
        }
        double max = 0;
        for (int i = 0; i < merged.length; i++) {
            double d = Math.abs((double) merged[i] - reference[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            max = Math.max(max, d);
        }
        return max;
    }
}
