package org.peft4j.engine.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peft4j.api.freeze.FreezeContext;
import org.peft4j.api.freeze.FreezeSchedule;
import org.peft4j.api.freeze.Scoring;
import org.peft4j.api.training.ParameterState;
import org.peft4j.api.training.TrainingListener;
import org.peft4j.engine.safetensors.SafeTensor;
import org.peft4j.engine.safetensors.SafeTensors;

/**
 * The run that the resume tests interrupt: 6 epochs of 4 steps on the tiny encoder, checkpoints
 * every 5 steps, and a stateful toy scoring (an EMA of the mean absolute gradient) whose schedule
 * freezes the lowest-scoring candidate at step 12, so scorer state, frozen set and recompilation
 * all cross the interruption.
 */
final class ResumeFixture {

    static final int CHECKPOINT_EVERY = 5;
    static final int FREEZE_AT = 12;
    /** An adapter tensor that never trains: restored from the model, not from checkpoints. */
    static final String CONSTANT = "encoder.layer.1.dense.lora_A";

    private ResumeFixture() {
    }

    static final class EmaScoring implements Scoring {
        final Map<String, float[]> ema = new LinkedHashMap<>();

        @Override
        public void observe(long step, Map<String, ParameterState> candidates) {
            candidates.forEach((name, st) -> {
                double sum = 0;
                for (float g : st.gradient()) {
                    sum += Math.abs(g);
                }
                float[] e = ema.computeIfAbsent(name, k -> new float[1]);
                e[0] = 0.8f * e[0] + 0.2f * (float) (sum / st.gradient().length);
            });
        }

        @Override
        public Map<String, float[]> elementScores() {
            return ema;
        }

        @Override
        public void release(Set<String> frozen) {
            frozen.forEach(ema::remove);
        }

        @Override
        public Map<String, float[]> state() {
            Map<String, float[]> s = new LinkedHashMap<>();
            ema.forEach((k, v) -> s.put(k, v.clone()));
            return s;
        }

        @Override
        public void restore(Map<String, float[]> state) {
            ema.clear();
            state.forEach((k, v) -> ema.put(k, v.clone()));
        }
    }

    static final FreezeSchedule LOWEST_AT_12 = new FreezeSchedule() {
        @Override
        public Set<String> select(FreezeContext c) {
            if (c.step() != FREEZE_AT) {
                return Set.of();
            }
            return Set.of(c.candidates().stream().min(Comparator.comparingDouble(n -> c.elementScores().get(n)[0])).orElseThrow());
        }
    };

    static TrainingResult run(Path dir, boolean resume, List<TrainingListener> listeners) throws IOException {
        TrainingHyperparameters hp = new TrainingHyperparameters(6, 16, 3e-2, 5e-2, 0.1, 0.1, 0.5, 99, 0, CHECKPOINT_EVERY);
        TinyEncoder model = new TinyEncoder(2, 21);
        List<org.peft4j.api.method.AdapterParameter> params = new ArrayList<>();
        for (org.peft4j.api.method.AdapterParameter p : model.adapterParameters) {
            boolean constant = p.name().equals(CONSTANT);
            params.add(new org.peft4j.api.method.AdapterParameter(p.name(), p.module(), p.role(), p.shape(), !constant,
                    !constant && p.freezable()));
        }
        TrainingSpec spec = model.spec(hp, dir).setAdapterParameters(params).optCheckpoints(dir.resolve("checkpoints"), resume)
                .optFreezing(new EmaScoring(), LOWEST_AT_12).build();
        return Trainer.train(spec, listeners);
    }

    /** Writes what must be identical between runs: losses, metrics and every final and best parameter. */
    static void writeOutcome(TrainingResult r, Path file) throws IOException {
        List<SafeTensor> ts = new ArrayList<>();
        ts.add(SafeTensor.ofFloats("losses", r.losses()));
        ts.add(SafeTensor.ofFloats("learning_rates", r.learningRates()));
        ts.add(SafeTensor.ofLongs("trainable_counts", r.trainableCounts()));
        float[] metrics = new float[r.evaluations().size()];
        for (int i = 0; i < metrics.length; i++) {
            metrics[i] = r.evaluations().get(i).metrics().get("accuracy").floatValue();
        }
        ts.add(SafeTensor.ofFloats("accuracy", metrics));
        r.finalParameters().forEach((k, v) -> ts.add(SafeTensor.ofFloats("final/" + k, v)));
        r.bestParameters().forEach((k, v) -> ts.add(SafeTensor.ofFloats("best/" + k, v)));
        Map<String, String> meta = new HashMap<>();
        meta.put("frozen", String.join(",", new java.util.TreeSet<>(r.frozen())));
        meta.put("best", Integer.toString(r.bestIndex()));
        SafeTensors.write(file, ts, meta);
    }
}
