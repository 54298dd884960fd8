package org.peft4j.engine.ort;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Tensor;

/**
 * The frozen base weights of one run as ONNX Runtime tensors, created once and handed to every
 * session as external initializers, so the training and evaluation sessions (and those of every
 * recompiled trainable set) share one copy in memory.
 *
 * <p>Contract: tensors wrap the weights' direct buffers without copying; they stay valid until
 * {@link #close()}, which must come after every session using them is closed.
 */
public final class SharedWeights implements AutoCloseable {

    private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();

    /**
     * @param weights the frozen weights by name
     * @throws OrtException when ONNX Runtime cannot wrap a buffer
     */
    public SharedWeights(Map<String, Tensor> weights) throws OrtException {
        try {
            for (Tensor t : weights.values()) {
                tensors.put(t.name(), OnnxTensor.createTensor(OrtRuntime.environment(), t.data(), t.shape(), javaType(t.type())));
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The tensors for {@code names}; fails naming a name this set does not hold. */
    public Map<String, OnnxTensor> select(List<String> names) {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        for (String n : names) {
            OnnxTensor t = tensors.get(n);
            if (t == null) {
                throw new IllegalArgumentException("no shared weight named '" + n + "'");
            }
            out.put(n, t);
        }
        return out;
    }

    /** The number of shared tensors. */
    public int size() {
        return tensors.size();
    }

    private static OnnxJavaType javaType(DataType type) {
        return switch (type) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT64 -> OnnxJavaType.INT64;
            case INT32 -> OnnxJavaType.INT32;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
        };
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
        tensors.clear();
    }
}
