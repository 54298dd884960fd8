package org.peft4j.engine.ort;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.engine.onnx.OnnxModelIO;

/**
 * Runs a {@link Graph} once or repeatedly in an in-memory ONNX Runtime session on the CPU: a small
 * utility for checks, tests and benchmarks, not the training engine.
 *
 * <p>Contract: the graph is serialised when the runner is created; later edits of the graph do not
 * affect it. {@link #run} takes every graph input as a {@link Tensor} (by name) and returns every
 * graph output, in graph order, as a {@link Tensor}. Errors of ONNX Runtime surface as
 * {@link IllegalStateException}s naming the graph. Close the runner to free the session.
 */
public final class GraphRunner implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String graphName;

    /** A runner with all graph optimisations and as many intra-op threads as there are cores. */
    public GraphRunner(Graph graph) {
        this(graph, Runtime.getRuntime().availableProcessors(), OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    /**
     * @param graph the graph to run
     * @param intraOpThreads ONNX Runtime intra-op threads (at least 1)
     * @param level the graph optimisation level
     */
    public GraphRunner(Graph graph, int intraOpThreads, OrtSession.SessionOptions.OptLevel level) {
        Objects.requireNonNull(graph, "graph");
        this.graphName = graph.name();
        this.env = OrtEnvironment.getEnvironment();
        byte[] model = new OnnxModelIO().toBytes(graph);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
            options.setOptimizationLevel(level);
            this.session = env.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load graph '" + graph.name() + "': " + e.getMessage(), e);
        }
    }

    /** The underlying session, for callers that feed {@link OnnxTensor}s directly. */
    public OrtSession session() {
        return session;
    }

    /**
     * Runs the graph.
     *
     * @param inputs every graph input by name
     * @return every graph output by name, in graph order
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        List<OnnxTensor> created = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                OnnxTensor t = toOrt(env, e.getValue());
                created.add(t);
                feed.put(e.getKey(), t);
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feed)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    out.put(e.getKey(), fromOrt(e.getKey(), (OnnxTensor) e.getValue()));
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run graph '" + graphName + "': " + e.getMessage(), e);
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    /** An ONNX Runtime tensor holding a copy of {@code t}. */
    public static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        ByteBuffer src = t.data();
        ByteBuffer direct = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
        ByteBuffer le = src.order(ByteOrder.LITTLE_ENDIAN);
        switch (t.type()) {
            case FLOAT:
                direct.asFloatBuffer().put(le.asFloatBuffer());
                return OnnxTensor.createTensor(env, direct.asFloatBuffer(), t.shape());
            case DOUBLE:
                direct.asDoubleBuffer().put(le.asDoubleBuffer());
                return OnnxTensor.createTensor(env, direct.asDoubleBuffer(), t.shape());
            case INT64:
                direct.asLongBuffer().put(le.asLongBuffer());
                return OnnxTensor.createTensor(env, direct.asLongBuffer(), t.shape());
            case INT32:
                direct.asIntBuffer().put(le.asIntBuffer());
                return OnnxTensor.createTensor(env, direct.asIntBuffer(), t.shape());
            case BOOL:
                direct.put(le);
                direct.flip();
                return OnnxTensor.createTensor(env, direct, t.shape(), OnnxJavaType.BOOL);
            case INT8:
                direct.put(le);
                direct.flip();
                return OnnxTensor.createTensor(env, direct, t.shape(), OnnxJavaType.INT8);
            case UINT8:
                direct.put(le);
                direct.flip();
                return OnnxTensor.createTensor(env, direct, t.shape(), OnnxJavaType.UINT8);
            default:
                throw new IllegalArgumentException("tensor '" + t.name() + "' of type " + t.type() + " cannot be fed to ONNX Runtime here");
        }
    }

    /** A copy of an ONNX Runtime tensor as a {@link Tensor} named {@code name}. */
    public static Tensor fromOrt(String name, OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        DataType type = switch (t.getInfo().type) {
            case FLOAT -> DataType.FLOAT;
            case DOUBLE -> DataType.DOUBLE;
            case INT64 -> DataType.INT64;
            case INT32 -> DataType.INT32;
            case BOOL -> DataType.BOOL;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            default -> throw new IllegalArgumentException("output '" + name + "' has unsupported type " + t.getInfo().type);
        };
        ByteBuffer b = t.getByteBuffer();
        ByteBuffer le = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        b.order(ByteOrder.nativeOrder());
        switch (type) {
            case FLOAT -> le.asFloatBuffer().put(b.asFloatBuffer());
            case DOUBLE -> le.asDoubleBuffer().put(b.asDoubleBuffer());
            case INT64 -> le.asLongBuffer().put(b.asLongBuffer());
            case INT32 -> le.asIntBuffer().put(b.asIntBuffer());
            default -> le.put(b);
        }
        le.position(0);
        return new Tensor(name, type, shape, le);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the session of graph '" + graphName + "'", e);
        }
    }
}
