package org.peft4j.plugins.aflora;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.peft4j.api.freeze.Scoring;
import org.peft4j.api.training.ParameterState;

/**
 * AFLoRA's windowed sensitivity score for one run.
 *
 * <p>For every tracked tensor {@code P}, element-wise, with {@code g} the step passed to
 * {@link #observe} and {@code ℓ = g mod ΔT}; {@code I}, {@code Ī}, {@code Ū} start at 0:
 * <pre>
 * if ℓ == 0:  Ī ← β1 Ī + (1 − β1) I
 *             Ū ← β2 Ū + (1 − β2) |I − Ī|      (with the updated Ī)
 *             I ← s
 * else:       I ← (ℓ I + s) / (ℓ + 1)
 * S = Ī ⊙ Ū
 * </pre>
 * where {@code s = |∇P|}, or {@code |P ⊙ ∇P|} with {@code weight-times-gradient}. A tensor seen
 * for the first time starts from zeros whatever {@code ℓ} is. Arithmetic is in double precision,
 * state is stored as floats.
 *
 * <p>Contract: as {@link Scoring}. {@link #state()} holds three arrays per tracked tensor, named
 * {@code <tensor>#I}, {@code <tensor>#Ibar} and {@code <tensor>#Ubar}; {@link #restore} accepts
 * exactly that form and rebuilds the scores, so a restored scoring continues bit for bit. Not
 * thread-safe (the engine calls it from one thread).
 */
public final class SensitivityScoring implements Scoring {

    private static final String I = "#I";
    private static final String IBAR = "#Ibar";
    private static final String UBAR = "#Ubar";

    private static final class Track {
        final float[] i;
        final float[] iBar;
        final float[] uBar;
        final float[] score;

        Track(int n) {
            this(new float[n], new float[n], new float[n]);
        }

        Track(float[] i, float[] iBar, float[] uBar) {
            this.i = i;
            this.iBar = iBar;
            this.uBar = uBar;
            this.score = new float[i.length];
            for (int j = 0; j < score.length; j++) {
                score[j] = iBar[j] * uBar[j];
            }
        }
    }

    private final double beta1;
    private final double beta2;
    private final int window;
    private final boolean weightTimesGradient;
    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private final Map<String, float[]> scores = new LinkedHashMap<>();

    /**
     * @param beta1 EMA factor of the sensitivity, in [0, 1)
     * @param beta2 EMA factor of the uncertainty, in [0, 1)
     * @param window ΔT, at least 1
     * @param weightTimesGradient whether the sensitivity is {@code |P ⊙ ∇P|} rather than {@code |∇P|}
     */
    public SensitivityScoring(double beta1, double beta2, int window, boolean weightTimesGradient) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || window < 1) {
            throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1) and window >= 1, got " + beta1 + ", " + beta2
                    + ", " + window);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.window = window;
        this.weightTimesGradient = weightTimesGradient;
    }

    @Override
    public void observe(long step, Map<String, ParameterState> candidates) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        int l = (int) (step % window);
        for (Map.Entry<String, ParameterState> e : candidates.entrySet()) {
            String name = e.getKey();
            ParameterState p = e.getValue();
            float[] grad = p.gradient();
            float[] val = p.values();
            Track t = tracks.get(name);
            if (t == null) {
                t = new Track(grad.length);
                tracks.put(name, t);
                scores.put(name, t.score);
            } else if (t.i.length != grad.length) {
                throw new IllegalArgumentException("'" + name + "' had " + t.i.length + " elements, now " + grad.length);
            }
            if (l == 0) {
                for (int j = 0; j < grad.length; j++) {
                    double iPrev = t.i[j];
                    double iBar = beta1 * t.iBar[j] + (1 - beta1) * iPrev;
                    double uBar = beta2 * t.uBar[j] + (1 - beta2) * Math.abs(iPrev - iBar);
                    t.iBar[j] = (float) iBar;
                    t.uBar[j] = (float) uBar;
                    t.score[j] = t.iBar[j] * t.uBar[j];
                    t.i[j] = sensitivity(val[j], grad[j]);
                }
            } else {
                for (int j = 0; j < grad.length; j++) {
                    t.i[j] = (float) ((l * (double) t.i[j] + sensitivity(val[j], grad[j])) / (l + 1));
                }
            }
        }
    }

    private float sensitivity(float value, float gradient) {
        return Math.abs(weightTimesGradient ? value * gradient : gradient);
    }

    @Override
    public Map<String, float[]> elementScores() {
        return Collections.unmodifiableMap(scores);
    }

    @Override
    public void release(Set<String> frozen) {
        for (String name : frozen) {
            tracks.remove(name);
            scores.remove(name);
        }
    }

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> state = new LinkedHashMap<>();
        tracks.forEach((name, t) -> {
            state.put(name + I, t.i.clone());
            state.put(name + IBAR, t.iBar.clone());
            state.put(name + UBAR, t.uBar.clone());
        });
        return state;
    }

    @Override
    public void restore(Map<String, float[]> state) {
        Map<String, float[][]> parts = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : state.entrySet()) {
            String key = e.getKey();
            int hash = key.lastIndexOf('#');
            if (hash < 0) {
                throw new IllegalArgumentException("scoring state entry '" + key + "' is not of the form <tensor>#I|#Ibar|#Ubar");
            }
            String suffix = key.substring(hash);
            int slot = switch (suffix) {
                case I -> 0;
                case IBAR -> 1;
                case UBAR -> 2;
                default -> throw new IllegalArgumentException("scoring state entry '" + key + "' has an unknown part '" + suffix + "'");
            };
            parts.computeIfAbsent(key.substring(0, hash), k -> new float[3][])[slot] = e.getValue().clone();
        }
        Map<String, Track> restored = new HashMap<>();
        for (Map.Entry<String, float[][]> e : parts.entrySet()) {
            float[][] p = e.getValue();
            if (p[0] == null || p[1] == null || p[2] == null || p[0].length != p[1].length || p[0].length != p[2].length) {
                throw new IllegalArgumentException("scoring state of '" + e.getKey() + "' needs #I, #Ibar and #Ubar of equal length");
            }
            restored.put(e.getKey(), new Track(p[0], p[1], p[2]));
        }
        tracks.clear();
        scores.clear();
        for (String name : parts.keySet()) {
            Track t = restored.get(name);
            tracks.put(name, t);
            scores.put(name, t.score);
        }
    }
}
