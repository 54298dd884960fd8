package org.peft4j.plugins.aflora;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.freeze.ParameterScorer;
import org.peft4j.api.freeze.Scoring;
import org.peft4j.api.training.ParameterState;
import org.pf4j.Extension;

/**
 * The {@code weight-magnitude} scorer: the element score of a tensor is {@code |P|} at the latest
 * observed step, so its matrix score (the mean) is the mean absolute value. A simple alternative
 * to {@code aflora-sensitivity} for ablations; it takes no hyperparameters.
 *
 * <p>Contract: stateless and thread-safe; the {@link Scoring} it creates keeps one array per
 * tracked tensor, and its state is exactly those arrays, by tensor name.
 */
@Extension
public final class WeightMagnitudeScorer implements ParameterScorer {

    /** The id configs use. */
    public static final String ID = "weight-magnitude";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "scores each element by its absolute value, so a matrix scores its mean |P|";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return List.of();
    }

    @Override
    public Scoring create(HyperParameters params) {
        return new MagnitudeScoring();
    }

    /** The per-run state: the latest {@code |P|} of every tracked tensor. */
    static final class MagnitudeScoring implements Scoring {

        private final Map<String, float[]> scores = new LinkedHashMap<>();

        @Override
        public void observe(long step, Map<String, ParameterState> candidates) {
            candidates.forEach((name, p) -> {
                float[] v = p.values();
                float[] s = scores.get(name);
                if (s == null || s.length != v.length) {
                    s = new float[v.length];
                    scores.put(name, s);
                }
                for (int j = 0; j < v.length; j++) {
                    s[j] = Math.abs(v[j]);
                }
            });
        }

        @Override
        public Map<String, float[]> elementScores() {
            return Collections.unmodifiableMap(scores);
        }

        @Override
        public void release(Set<String> frozen) {
            scores.keySet().removeAll(frozen);
        }

        @Override
        public Map<String, float[]> state() {
            Map<String, float[]> copy = new LinkedHashMap<>();
            scores.forEach((k, v) -> copy.put(k, v.clone()));
            return copy;
        }

        @Override
        public void restore(Map<String, float[]> state) {
            scores.clear();
            state.forEach((k, v) -> scores.put(k, v.clone()));
        }
    }
}
