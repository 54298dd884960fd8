package org.peft4j.zoo;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.peft4j.api.model.TextTokenizer;
import org.peft4j.engine.ort.OrtRuntime;

/** Test helpers: encoder runs on ONNX Runtime. */
final class EncoderSessions {

    private EncoderSessions() {
    }

    /** A batch of encoded texts as ONNX input arrays, row-major {@code [B, T]}. */
    record Batch(long[] ids, long[] mask, long[] types, int size, int length) {
        static Batch of(TextTokenizer tokenizer, int length, List<String[]> texts) {
            int b = texts.size();
            long[] ids = new long[b * length];
            long[] mask = new long[b * length];
            long[] types = new long[b * length];
            for (int i = 0; i < b; i++) {
                TextTokenizer.Encoding e = tokenizer.encode(texts.get(i)[0], texts.get(i).length > 1 ? texts.get(i)[1] : null, length);
                System.arraycopy(e.inputIds(), 0, ids, i * length, length);
                System.arraycopy(e.attentionMask(), 0, mask, i * length, length);
                System.arraycopy(e.tokenTypeIds(), 0, types, i * length, length);
            }
            return new Batch(ids, mask, types, b, length);
        }
    }

    /** Runs an ONNX model (a file or serialized bytes) on the batch and returns {@code output}. */
    static float[] run(Object model, String output, Batch batch, boolean withTypes) throws OrtException, IOException {
        OrtEnvironment env = OrtRuntime.environment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        long[] shape = {batch.size(), batch.length()};
        Map<String, OnnxTensor> in = new HashMap<>();
        try (OrtSession session = model instanceof Path p ? env.createSession(p.toString(), options)
                : env.createSession((byte[]) model, options)) {
            in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape));
            in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.mask()), shape));
            if (withTypes) {
                in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.types()), shape));
            }
            try (OrtSession.Result r = session.run(in, java.util.Set.of(output))) {
                java.nio.FloatBuffer fb = ((OnnxTensor) r.get(output).get()).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /** The largest absolute difference of two arrays of the same length. */
    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
