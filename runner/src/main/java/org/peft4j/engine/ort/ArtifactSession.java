package org.peft4j.engine.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.artifacts.ArtifactCompiler;
import org.peft4j.engine.artifacts.CompiledArtifacts;
import org.peft4j.engine.artifacts.LossBuilder;
import org.peft4j.engine.artifacts.ManagedParameter;
import org.peft4j.engine.optim.AdamWGraphBuilder;

/**
 * Runs one set of compiled artifacts on ONNX Runtime: the training step (forward, loss and
 * gradients), the optimizer step (AdamW) and evaluation. This is peft4j's replacement for ONNX
 * Runtime's training session, over ordinary inference sessions.
 *
 * <p>Every tensor that crosses into ONNX Runtime lives in a direct buffer allocated once here:
 * batch inputs (filled by the caller through {@link #longInput} and {@link #floatInput}),
 * parameters and optimizer moments (double-buffered: the optimizer reads one copy and writes the
 * other, then they swap), gradients, the loss and the logits (written by ONNX Runtime as pinned
 * outputs). No tensor is allocated per step.
 *
 * <p>Contract: call {@link #trainStep()}, then optionally read {@link #parameter} and
 * {@link #gradient}, then {@link #optimizerStep}; {@link #evaluate()} may run between steps. The
 * parameter and moment values can be exported ({@link #parameterValues()}, {@link #moments()}) and
 * are imported by the constructor, which is how state carries over to a recompiled trainable set
 * and to a resumed run. Not thread-safe.
 */
public final class ArtifactSession implements AutoCloseable {

    private final CompiledArtifacts artifacts;
    private final OrtSession training;
    private final OrtSession eval;
    private final OrtSession optimizer;
    private final List<OnnxTensor> owned = new ArrayList<>();

    private final Map<String, Buffer> batchBuffers = new LinkedHashMap<>();
    private final Map<String, OnnxTensor> batchTensors = new LinkedHashMap<>();
    private final List<ManagedParameter> params;
    private final FloatBuffer[][] values;
    private final OnnxTensor[][] valueTensors;
    private final FloatBuffer[][] firstMoments;
    private final OnnxTensor[][] firstMomentTensors;
    private final FloatBuffer[][] secondMoments;
    private final OnnxTensor[][] secondMomentTensors;
    private final FloatBuffer[] gradients;
    private final OnnxTensor[] gradientTensors;
    private final FloatBuffer loss;
    private final FloatBuffer logits;
    private final FloatBuffer gradNorm;
    private final FloatBuffer learningRates;
    private final LongBuffer step;
    private final Map<String, OnnxValue> trainingOutputs = new HashMap<>();
    private final Map<String, OnnxValue> evalOutputs = new HashMap<>();
    private final List<Map<String, OnnxTensor>> trainingInputs = new ArrayList<>();
    private final List<Map<String, OnnxTensor>> evalInputs = new ArrayList<>();
    private final List<Map<String, OnnxTensor>> optimizerInputs = new ArrayList<>();
    private final List<Map<String, OnnxValue>> optimizerOutputs = new ArrayList<>();
    private int current;

    /**
     * Opens the three sessions and loads the state.
     *
     * @param artifacts the compiled artifacts
     * @param settings provider and threads
     * @param shared the run's frozen base weights
     * @param numGroups the number of optimizer parameter groups
     * @param parameterValues values of (at least) every trainable parameter
     * @param moments first and second moments by parameter name ({@code [m, v]}); missing entries start at zero
     * @throws OrtException when ONNX Runtime rejects a model
     * @throws IllegalArgumentException when a value is missing or has the wrong size, or a model
     *     declares an input the engine does not know
     */
    public ArtifactSession(CompiledArtifacts artifacts, ExecutionSettings settings, SharedWeights shared, int numGroups,
            Map<String, float[]> parameterValues, Map<String, float[][]> moments) throws OrtException {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.params = artifacts.trainable();
        int n = params.size();
        values = new FloatBuffer[2][n];
        valueTensors = new OnnxTensor[2][n];
        firstMoments = new FloatBuffer[2][n];
        firstMomentTensors = new OnnxTensor[2][n];
        secondMoments = new FloatBuffer[2][n];
        secondMomentTensors = new OnnxTensor[2][n];
        gradients = new FloatBuffer[n];
        gradientTensors = new OnnxTensor[n];
        OrtSession tr = null;
        OrtSession ev = null;
        OrtSession op = null;
        try {
            for (int i = 0; i < n; i++) {
                ManagedParameter p = params.get(i);
                float[] v = parameterValues.get(p.name());
                if (v == null || v.length != p.elementCount()) {
                    throw new IllegalArgumentException("no value with " + p.elementCount() + " elements for trainable parameter '"
                            + p.name() + "'");
                }
                float[][] mv = moments.get(p.name());
                for (int k = 0; k < 2; k++) {
                    values[k][i] = floats(p.elementCount());
                    valueTensors[k][i] = tensor(values[k][i], p.shape());
                    firstMoments[k][i] = floats(p.elementCount());
                    firstMomentTensors[k][i] = tensor(firstMoments[k][i], p.shape());
                    secondMoments[k][i] = floats(p.elementCount());
                    secondMomentTensors[k][i] = tensor(secondMoments[k][i], p.shape());
                }
                values[0][i].put(0, v);
                if (mv != null) {
                    if (mv.length != 2 || mv[0].length != v.length || mv[1].length != v.length) {
                        throw new IllegalArgumentException("moments of '" + p.name() + "' do not match its " + v.length + " elements");
                    }
                    firstMoments[0][i].put(0, mv[0]);
                    secondMoments[0][i].put(0, mv[1]);
                }
                gradients[i] = floats(p.elementCount());
                gradientTensors[i] = tensor(gradients[i], p.shape());
            }
            for (ValueInfo in : artifacts.batchInputs()) {
                Buffer b;
                OnnxTensor t;
                if (in.type() == DataType.INT64) {
                    LongBuffer lb = direct(in.elementCount() * 8).asLongBuffer();
                    t = OnnxTensor.createTensor(OrtRuntime.environment(), lb, in.shape());
                    b = lb;
                } else if (in.type() == DataType.FLOAT) {
                    FloatBuffer fb = floats((int) in.elementCount());
                    t = OnnxTensor.createTensor(OrtRuntime.environment(), fb, in.shape());
                    b = fb;
                } else {
                    throw new IllegalArgumentException("training input '" + in.name() + "' has type " + in.type()
                            + "; batch inputs must be INT64 or FLOAT");
                }
                owned.add(t);
                batchBuffers.put(in.name(), b);
                batchTensors.put(in.name(), t);
            }
            long[] logitsShape = artifacts.logitsShape();
            loss = floats(1);
            OnnxTensor lossTensor = tensor(loss, new long[0]);
            logits = floats((int) (logitsShape[0] * logitsShape[1]));
            OnnxTensor logitsTensor = tensor(logits, logitsShape);
            gradNorm = floats(1);
            OnnxTensor gradNormTensor = tensor(gradNorm, new long[0]);
            learningRates = floats(numGroups);
            OnnxTensor lrTensor = tensor(learningRates, new long[] {numGroups});
            step = direct(8).asLongBuffer();
            OnnxTensor stepTensor = OnnxTensor.createTensor(OrtRuntime.environment(), step, new long[0]);
            owned.add(stepTensor);

            trainingOutputs.put(LossBuilder.LOSS, lossTensor);
            trainingOutputs.put(ArtifactCompiler.LOGITS, logitsTensor);
            evalOutputs.put(ArtifactCompiler.LOGITS, logitsTensor);
            for (int i = 0; i < n; i++) {
                trainingOutputs.put(AdamWGraphBuilder.gradName(params.get(i).name()), gradientTensors[i]);
            }
            for (int k = 0; k < 2; k++) {
                Map<String, OnnxTensor> ti = new HashMap<>(batchTensors);
                Map<String, OnnxTensor> ei = new HashMap<>();
                for (ValueInfo in : artifacts.evalInputs()) {
                    OnnxTensor t = batchTensors.get(in.name());
                    if (t == null) {
                        throw new IllegalArgumentException("eval input '" + in.name() + "' is not a training input");
                    }
                    ei.put(in.name(), t);
                }
                Map<String, OnnxTensor> oi = new HashMap<>();
                Map<String, OnnxValue> oo = new HashMap<>();
                oi.put(AdamWGraphBuilder.LEARNING_RATE, lrTensor);
                oi.put(AdamWGraphBuilder.STEP, stepTensor);
                oo.put(AdamWGraphBuilder.GRAD_NORM, gradNormTensor);
                for (int i = 0; i < n; i++) {
                    String name = params.get(i).name();
                    ti.put(name, valueTensors[k][i]);
                    ei.put(name, valueTensors[k][i]);
                    oi.put(name, valueTensors[k][i]);
                    oi.put(AdamWGraphBuilder.gradName(name), gradientTensors[i]);
                    oi.put(AdamWGraphBuilder.firstMomentName(name), firstMomentTensors[k][i]);
                    oi.put(AdamWGraphBuilder.secondMomentName(name), secondMomentTensors[k][i]);
                    oo.put(AdamWGraphBuilder.updatedName(name), valueTensors[1 - k][i]);
                    oo.put(AdamWGraphBuilder.updatedName(AdamWGraphBuilder.firstMomentName(name)), firstMomentTensors[1 - k][i]);
                    oo.put(AdamWGraphBuilder.updatedName(AdamWGraphBuilder.secondMomentName(name)), secondMomentTensors[1 - k][i]);
                }
                trainingInputs.add(ti);
                evalInputs.add(ei);
                optimizerInputs.add(oi);
                optimizerOutputs.add(oo);
            }
            tr = OrtRuntime.openSession(artifacts.trainingModel(), settings, shared.select(artifacts.sharedTraining()));
            ev = OrtRuntime.openSession(artifacts.evalModel(), settings, shared.select(artifacts.sharedEval()));
            op = OrtRuntime.openSession(artifacts.optimizerModel(), settings, Map.of());
            checkInputs(tr, trainingInputs.get(0).keySet(), artifacts.trainingModel().toString());
            checkInputs(ev, evalInputs.get(0).keySet(), artifacts.evalModel().toString());
        } catch (OrtException | RuntimeException e) {
            closeQuietly(tr);
            closeQuietly(ev);
            closeQuietly(op);
            owned.forEach(OnnxTensor::close);
            throw e;
        }
        training = tr;
        eval = ev;
        optimizer = op;
    }

    private static void checkInputs(OrtSession s, java.util.Set<String> fed, String model) throws OrtException {
        for (String name : s.getInputNames()) {
            if (!fed.contains(name)) {
                throw new IllegalArgumentException(model + " declares input '" + name + "', which the engine does not feed");
            }
        }
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // closing after a failed start
            }
        }
    }

    private static ByteBuffer direct(long bytes) {
        return ByteBuffer.allocateDirect(Math.toIntExact(Math.max(bytes, 1))).order(ByteOrder.nativeOrder());
    }

    private static FloatBuffer floats(int count) {
        return direct(4L * count).asFloatBuffer().limit(count);
    }

    private OnnxTensor tensor(FloatBuffer buffer, long[] shape) throws OrtException {
        OnnxTensor t = OnnxTensor.createTensor(OrtRuntime.environment(), buffer, shape);
        owned.add(t);
        return t;
    }

    /** The artifacts this session runs. */
    public CompiledArtifacts artifacts() {
        return artifacts;
    }

    /** The names of the batch inputs the training model reads (including labels and weights). */
    public java.util.Set<String> batchInputNames() {
        return java.util.Collections.unmodifiableSet(batchBuffers.keySet());
    }

    /**
     * The direct buffer of an int64 batch input, to be overwritten in place before a run.
     *
     * @throws IllegalArgumentException when the model has no such int64 input
     */
    public LongBuffer longInput(String name) {
        if (batchBuffers.get(name) instanceof LongBuffer lb) {
            return lb.clear();
        }
        throw new IllegalArgumentException("training model has no int64 input '" + name + "'; inputs are " + batchBuffers.keySet());
    }

    /**
     * The direct buffer of a float batch input, to be overwritten in place before a run.
     *
     * @throws IllegalArgumentException when the model has no such float input
     */
    public FloatBuffer floatInput(String name) {
        if (batchBuffers.get(name) instanceof FloatBuffer fb) {
            return fb.clear();
        }
        throw new IllegalArgumentException("training model has no float input '" + name + "'; inputs are " + batchBuffers.keySet());
    }

    /** Whether the training model reads the batch input {@code name}. */
    public boolean hasInput(String name) {
        return batchBuffers.containsKey(name);
    }

    /**
     * Runs the training model on the current batch buffers and parameters; returns the loss.
     * Gradients and logits are then readable.
     */
    public float trainStep() throws OrtException {
        try (OrtSession.Result ignored = training.run(trainingInputs.get(current), trainingOutputs)) {
            return loss.get(0);
        }
    }

    /**
     * Applies one AdamW update with the gradients of the last {@link #trainStep()}.
     *
     * @param groupLearningRates the scheduled learning rate of each group
     * @param updateNumber the 1-based number of this update (bias correction)
     * @return the global gradient norm before clipping
     */
    public float optimizerStep(float[] groupLearningRates, long updateNumber) throws OrtException {
        if (groupLearningRates.length != learningRates.limit()) {
            throw new IllegalArgumentException("expected " + learningRates.limit() + " learning rates, got " + groupLearningRates.length);
        }
        learningRates.put(0, groupLearningRates);
        step.put(0, updateNumber);
        try (OrtSession.Result ignored = optimizer.run(optimizerInputs.get(current), optimizerOutputs.get(current))) {
            current = 1 - current;
            return gradNorm.get(0);
        }
    }

    /** Runs the evaluation model on the current batch buffers; the logits are then readable. */
    public void evaluate() throws OrtException {
        try (OrtSession.Result ignored = eval.run(evalInputs.get(current), evalOutputs)) {
            // outputs are pinned into the logits buffer
        }
    }

    /** Copies the last logits, row-major {@code [B, C]}, into {@code out}. */
    public void logits(float[] out) {
        logits.get(0, out, 0, Math.min(out.length, logits.limit()));
    }

    /** The number of logits per run, {@code B * C}. */
    public int logitsSize() {
        return logits.limit();
    }

    /** Copies the current value of trainable parameter {@code index} into {@code out}. */
    public void parameter(int index, float[] out) {
        values[current][index].get(0, out);
    }

    /** Copies the last gradient of trainable parameter {@code index} into {@code out}. */
    public void gradient(int index, float[] out) {
        gradients[index].get(0, out);
    }

    /** The current values of every trainable parameter (fresh arrays). */
    public Map<String, float[]> parameterValues() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            float[] v = new float[params.get(i).elementCount()];
            values[current][i].get(0, v);
            out.put(params.get(i).name(), v);
        }
        return out;
    }

    /** The current first and second moments of every trainable parameter (fresh arrays). */
    public Map<String, float[][]> moments() {
        Map<String, float[][]> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            int size = params.get(i).elementCount();
            float[] m = new float[size];
            float[] v = new float[size];
            firstMoments[current][i].get(0, m);
            secondMoments[current][i].get(0, v);
            out.put(params.get(i).name(), new float[][] {m, v});
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        try {
            training.close();
            eval.close();
            optimizer.close();
        } finally {
            owned.forEach(OnnxTensor::close);
            owned.clear();
        }
    }
}
