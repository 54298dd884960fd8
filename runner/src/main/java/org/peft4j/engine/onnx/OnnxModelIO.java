package org.peft4j.engine.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.api.model.GraphReader;
import org.peft4j.engine.shape.ShapeInference;

/**
 * Reads ONNX model files into {@link Graph}s and writes graphs back as ONNX models.
 *
 * <p><b>Reading.</b> Initializers may hold their data in {@code raw_data}, in the typed fields
 * ({@code float_data}, {@code int32_data}, {@code int64_data}, {@code double_data},
 * {@code uint64_data}) or in external data files, which are resolved relative to the model's
 * folder (a location that leaves that folder is rejected). {@code Constant} nodes, in all their
 * forms ({@code value}, {@code value_float(s)}, {@code value_int(s)}), become initializers. Every
 * attribute kind that a peft4j graph can hold is read (int, float, string, tensor, ints, floats,
 * strings); sub-graph, tensor-list, sparse and type attributes are rejected with an error naming
 * the node, as are sparse initializers. Graph outputs that declare no shape get the inferred one. Symbolic
 * extents ({@code dim_param}) and unknown extents become {@code -1}. After reading, the graph is
 * upgraded to {@link #OPSET} with {@link OpsetUpgrader}. A file that is not an ONNX model, or uses
 * something peft4j cannot represent, is an {@link IOException} whose message names the file.
 *
 * <p><b>Writing.</b> Graphs are written with default-domain opset {@link Graph#opset()} and the IR
 * version {@link #irVersionFor(int)}; other domains used by nodes (such as {@code com.microsoft})
 * are imported at version 1. Negative extents are written as symbolic dimensions. Large
 * initializers may go to an external data file next to the model.
 *
 * <p><b>The output opset is 17.</b> The ONNX protobuf classes available on Maven Central
 * ({@code ai.onnx.proto.OnnxMl} from {@code tribuo-util-onnx}) know IR version 9, which can express
 * default-domain opsets up to 20, and ONNX Runtime 1.29 implements all of them. Measured with
 * ONNX Runtime 1.29 on generated BERT layers: the optimised forward and training graphs are the
 * same at opsets 17, 18, 19 and 20 (the same Gelu, SkipLayerNormalization, LayerNormalization,
 * FusedMatMul and Gemm fusions, the same node count), so a newer opset gains nothing for peft4j's
 * graphs, while 18 changes the signature of every {@code Reduce*} operator (axes move to an
 * input), which the engine's other graph builders and the adapters are written against. So
 * peft4j emits 17, the opset whose {@code Squeeze}, {@code Unsqueeze}, {@code ReduceSum} and
 * {@code Split} already take their axes as inputs, whose {@code Softmax} normalises one axis, and
 * which has {@code LayerNormalization}. {@link OpsetUpgrader} and the gradient builder also
 * support 18 to 20, so moving on is a change of this constant.
 *
 * <p>Instances are stateless and thread-safe.
 */
public final class OnnxModelIO implements GraphReader {

    /** The default-domain opset of every graph peft4j reads (after upgrading) and writes. */
    public static final int OPSET = 17;

    /** Producer name written into models. */
    public static final String PRODUCER = "peft4j";

    /**
     * The ONNX IR version that pairs with a default-domain opset, as in the ONNX release table
     * (opset 15-18: IR 8; opset 19-20: IR 9; older opsets: IR 7).
     *
     * @throws IllegalArgumentException for opsets above 20, which the protobuf classes cannot express
     */
    public static int irVersionFor(int opset) {
        if (opset > 20) {
            throw new IllegalArgumentException("opset " + opset + " needs an ONNX IR version above 9, which peft4j cannot write");
        }
        if (opset >= 19) {
            return 9;
        }
        if (opset >= 15) {
            return 8;
        }
        return 7;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads the main graph of the model at {@code onnxFile} and upgrades it to {@link #OPSET}.
     *
     * @throws IOException when the file cannot be read or is not a valid ONNX model (the message
     *     names the file)
     */
    @Override
    public Graph read(Path onnxFile) throws IOException {
        Graph g = readAsIs(onnxFile);
        upgrade(g, onnxFile.toString());
        return g;
    }

    /**
     * Reads the main graph of the model at {@code onnxFile} at the opset it was saved with, without
     * upgrading it.
     */
    public Graph readAsIs(Path onnxFile) throws IOException {
        Objects.requireNonNull(onnxFile, "onnxFile");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(onnxFile);
        } catch (IOException e) {
            throw new IOException("cannot read ONNX model " + onnxFile + ": " + e.getMessage(), e);
        }
        Path dir = onnxFile.toAbsolutePath().getParent();
        return parse(bytes, onnxFile.toString(), dir);
    }

    /**
     * Reads a model held in memory and upgrades it to {@link #OPSET}.
     *
     * @param bytes the serialized {@code ModelProto}
     * @param sourceName how errors name the model
     * @param externalDataDir the folder that external data locations are relative to, or null when
     *     the model must not use external data
     */
    public Graph read(byte[] bytes, String sourceName, Path externalDataDir) throws IOException {
        Graph g = parse(bytes, sourceName, externalDataDir);
        upgrade(g, sourceName);
        return g;
    }

    private static void upgrade(Graph g, String source) throws IOException {
        try {
            OpsetUpgrader.upgrade(g, OPSET);
        } catch (RuntimeException e) {
            throw new IOException("cannot upgrade ONNX model " + source + " from opset " + g.opset() + " to " + OPSET + ": "
                    + e.getMessage(), e);
        }
    }

    private static Graph parse(byte[] bytes, String source, Path dir) throws IOException {
        OnnxMl.ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            in.enableAliasing(true);
            in.setRecursionLimit(256);
            model = OnnxMl.ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("'" + source + "' is not an ONNX model: " + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getIrVersion() <= 0) {
            throw new IOException("'" + source + "' is not an ONNX model: it has no IR version or no graph");
        }
        int opset = -1;
        for (OnnxMl.OperatorSetIdProto os : model.getOpsetImportList()) {
            if (os.getDomain().isEmpty() || os.getDomain().equals("ai.onnx")) {
                opset = (int) os.getVersion();
            }
        }
        if (opset < 0) {
            opset = model.getIrVersion() < 3 ? 1 : -1;
            if (opset < 0) {
                throw new IOException("ONNX model '" + source + "' imports no default-domain opset");
            }
        }
        OnnxMl.GraphProto gp = model.getGraph();
        Graph g = new Graph(gp.getName().isEmpty() ? "main" : gp.getName(), opset);
        try {
            for (OnnxMl.TensorProto t : gp.getInitializerList()) {
                g.putInitializer(toTensor(t, source, dir));
            }
            for (OnnxMl.ValueInfoProto v : gp.getInputList()) {
                if (g.initializer(v.getName()) == null) {
                    g.addInput(toValueInfo(v, source, "graph input"));
                }
            }
            for (OnnxMl.ValueInfoProto v : gp.getValueInfoList()) {
                if (v.getType().hasTensorType() && v.getType().getTensorType().hasShape()) {
                    g.setValueInfo(toValueInfo(v, source, "value info"));
                }
            }
            int anonymous = 0;
            for (OnnxMl.NodeProto np : gp.getNodeList()) {
                String nodeName = np.getName().isEmpty() ? "node_" + (anonymous++) + "_" + np.getOpType() : np.getName();
                if (np.getOpType().equals("Constant") && np.getDomain().isEmpty()) {
                    g.putInitializer(constantValue(np, nodeName, source, dir));
                    continue;
                }
                List<Attribute> attributes = new ArrayList<>();
                for (OnnxMl.AttributeProto a : np.getAttributeList()) {
                    attributes.add(toAttribute(a, nodeName, np.getOpType(), source, dir));
                }
                String domain = np.getDomain().equals("ai.onnx") ? "" : np.getDomain();
                g.addNode(new Node(nodeName, np.getOpType(), domain, np.getInputList(), np.getOutputList(), attributes));
            }
            Map<String, ValueInfo> inferred = null;
            for (OnnxMl.ValueInfoProto v : gp.getOutputList()) {
                boolean shaped = v.getType().hasTensorType() && v.getType().getTensorType().hasShape()
                        && v.getType().getTensorType().getElemType() != 0;
                if (!shaped) {
                    // outputs without a declared shape or type get the inferred one
                    if (inferred == null) {
                        inferred = inferShapes(g, source);
                    }
                    ValueInfo i = inferred.get(v.getName());
                    if (i == null) {
                        throw new IOException("ONNX model '" + source + "': graph output '" + v.getName() + "' is produced by no node");
                    }
                    g.addOutput(i);
                } else {
                    g.addOutput(toValueInfo(v, source, "graph output"));
                }
            }
            if (gp.getSparseInitializerCount() > 0) {
                throw new IOException("ONNX model '" + source + "' has sparse initializers, which peft4j does not support");
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("ONNX model '" + source + "': " + e.getMessage(), e);
        }
        return g;
    }

    private static Map<String, ValueInfo> inferShapes(Graph g, String source) throws IOException {
        try {
            g.sortTopologically();
            return ShapeInference.infer(g);
        } catch (RuntimeException e) {
            throw new IOException("ONNX model '" + source + "': a graph output has no shape and inference failed: " + e.getMessage(), e);
        }
    }

    private static ValueInfo toValueInfo(OnnxMl.ValueInfoProto v, String source, String what) throws IOException {
        if (!v.getType().hasTensorType()) {
            throw new IOException("ONNX model '" + source + "': " + what + " '" + v.getName() + "' is not a tensor");
        }
        OnnxMl.TypeProto.Tensor tt = v.getType().getTensorType();
        DataType type = dataType(tt.getElemType(), source, what + " '" + v.getName() + "'");
        if (!tt.hasShape()) {
            throw new IOException("ONNX model '" + source + "': " + what + " '" + v.getName() + "' has no shape");
        }
        long[] shape = new long[tt.getShape().getDimCount()];
        for (int i = 0; i < shape.length; i++) {
            OnnxMl.TensorShapeProto.Dimension d = tt.getShape().getDim(i);
            shape[i] = d.hasDimValue() && d.getDimValue() >= 0 ? d.getDimValue() : -1;
        }
        return new ValueInfo(v.getName(), type, shape);
    }

    private static DataType dataType(int code, String source, String what) throws IOException {
        try {
            return DataType.fromOnnxCode(code);
        } catch (IllegalArgumentException e) {
            throw new IOException("ONNX model '" + source + "': " + what + " has element type " + code
                    + ", which peft4j does not support (float, double, float16, int64, int32, int8, uint8, bool)");
        }
    }

    private static Tensor constantValue(OnnxMl.NodeProto np, String nodeName, String source, Path dir) throws IOException {
        if (np.getOutputCount() != 1 || np.getAttributeCount() != 1) {
            throw new IOException("ONNX model '" + source + "': Constant node '" + nodeName + "' needs one output and one value attribute");
        }
        String out = np.getOutput(0);
        OnnxMl.AttributeProto a = np.getAttribute(0);
        switch (a.getName()) {
            case "value":
                return toTensor(a.getT(), source, dir).withName(out);
            case "value_float":
                return Tensor.scalar(out, a.getF());
            case "value_floats": {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = a.getFloats(i);
                }
                return Tensor.ofFloats(out, new long[] {f.length}, f);
            }
            case "value_int":
                return Tensor.ofLongs(out, new long[0], new long[] {a.getI()});
            case "value_ints":
                return Tensor.vector(out, a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            default:
                throw new IOException("ONNX model '" + source + "': Constant node '" + nodeName + "' has attribute '" + a.getName()
                        + "', which peft4j does not support");
        }
    }

    private static Attribute toAttribute(OnnxMl.AttributeProto a, String nodeName, String op, String source, Path dir)
            throws IOException {
        String n = a.getName();
        OnnxMl.AttributeProto.AttributeType type = a.getType();
        if (type == OnnxMl.AttributeProto.AttributeType.UNDEFINED) {
            type = guessType(a);
        }
        switch (type) {
            case INT:
                return new Attribute.Int(n, a.getI());
            case FLOAT:
                return new Attribute.Float(n, a.getF());
            case STRING:
                return new Attribute.Str(n, a.getS().toStringUtf8());
            case INTS:
                return new Attribute.Ints(n, a.getIntsList());
            case FLOATS:
                return new Attribute.Floats(n, a.getFloatsList());
            case STRINGS: {
                List<String> s = new ArrayList<>();
                for (ByteString b : a.getStringsList()) {
                    s.add(b.toStringUtf8());
                }
                return new Attribute.Strings(n, s);
            }
            case TENSOR:
                return new Attribute.TensorValue(n, toTensor(a.getT(), source, dir));
            default:
                throw new IOException("ONNX model '" + source + "': node '" + nodeName + "' (" + op + ") has attribute '" + n
                        + "' of kind " + type + "; peft4j graphs hold no sub-graphs, sparse tensors or type attributes");
        }
    }

    private static OnnxMl.AttributeProto.AttributeType guessType(OnnxMl.AttributeProto a) {
        if (a.hasT()) {
            return OnnxMl.AttributeProto.AttributeType.TENSOR;
        }
        if (a.getIntsCount() > 0) {
            return OnnxMl.AttributeProto.AttributeType.INTS;
        }
        if (a.getFloatsCount() > 0) {
            return OnnxMl.AttributeProto.AttributeType.FLOATS;
        }
        if (a.getStringsCount() > 0) {
            return OnnxMl.AttributeProto.AttributeType.STRINGS;
        }
        if (a.hasS()) {
            return OnnxMl.AttributeProto.AttributeType.STRING;
        }
        if (a.hasF()) {
            return OnnxMl.AttributeProto.AttributeType.FLOAT;
        }
        return OnnxMl.AttributeProto.AttributeType.INT;
    }

    private static Tensor toTensor(OnnxMl.TensorProto t, String source, Path dir) throws IOException {
        String what = "tensor '" + t.getName() + "'";
        if (t.hasSegment()) {
            throw new IOException("ONNX model '" + source + "': " + what + " is segmented, which peft4j does not support");
        }
        DataType type = dataType(t.getDataType(), source, what);
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IOException("ONNX model '" + source + "': " + what + " has a negative extent");
            }
            count *= d;
        }
        long bytes = count * type.byteSize();
        if (bytes > Integer.MAX_VALUE) {
            throw new IOException("ONNX model '" + source + "': " + what + " is larger than 2 GiB");
        }
        if (t.getDataLocation() != OnnxMl.TensorProto.DataLocation.EXTERNAL && (!t.getRawData().isEmpty() || count == 0)) {
            if (t.getRawData().size() != bytes) {
                throw new IOException("ONNX model '" + source + "': " + what + " has " + t.getRawData().size()
                        + " bytes of raw data, expected " + bytes);
            }
            return new Tensor(t.getName(), type, shape, t.getRawData().asReadOnlyByteBuffer());
        }
        ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            readExternal(t, data, source, dir, what);
        } else {
            readTyped(t, type, count, data, source, what);
        }
        data.flip();
        return new Tensor(t.getName(), type, shape, data);
    }

    private static void readTyped(OnnxMl.TensorProto t, DataType type, long count, ByteBuffer data, String source, String what)
            throws IOException {
        int available = switch (type) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case INT32, INT8, UINT8, BOOL, FLOAT16 -> t.getInt32DataCount();
        };
        if (available != count) {
            throw new IOException("ONNX model '" + source + "': " + what + " holds " + available + " typed values, expected " + count);
        }
        for (int i = 0; i < count; i++) {
            switch (type) {
                case FLOAT -> data.putFloat(t.getFloatData(i));
                case DOUBLE -> data.putDouble(t.getDoubleData(i));
                case INT64 -> data.putLong(t.getInt64Data(i));
                case INT32 -> data.putInt(t.getInt32Data(i));
                case INT8, UINT8, BOOL -> data.put((byte) t.getInt32Data(i));
                case FLOAT16 -> data.putShort((short) t.getInt32Data(i));
            }
        }
    }

    private static void readExternal(OnnxMl.TensorProto t, ByteBuffer data, String source, Path dir, String what)
            throws IOException {
        String location = null;
        long offset = 0;
        long length = -1;
        for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> {
                    }
                }
            } catch (NumberFormatException ex) {
                throw new IOException("ONNX model '" + source + "': " + what + " has a non-numeric external data " + e.getKey());
            }
        }
        if (location == null) {
            throw new IOException("ONNX model '" + source + "': " + what + " is external but names no location");
        }
        if (dir == null) {
            throw new IOException("ONNX model '" + source + "': " + what + " is stored in external file '" + location
                    + "', but the model was read from memory");
        }
        Path file = dir.resolve(location).normalize();
        if (!file.startsWith(dir.normalize())) {
            throw new IOException("ONNX model '" + source + "': " + what + " names external file '" + location
                    + "' outside the model's folder");
        }
        if (length >= 0 && length != data.capacity()) {
            throw new IOException("ONNX model '" + source + "': " + what + " has external length " + length + ", expected "
                    + data.capacity());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset + data.capacity() > ch.size()) {
                throw new IOException("ONNX model '" + source + "': external file " + file + " is too short for " + what);
            }
            long pos = offset;
            while (data.hasRemaining()) {
                int n = ch.read(data, pos);
                if (n < 0) {
                    throw new IOException("ONNX model '" + source + "': external file " + file + " ended inside " + what);
                }
                pos += n;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("ONNX model '" + source + "': external data file " + file + " of " + what + " does not exist", e);
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code graph} to {@code file} with every initializer inside the model. */
    public void write(Graph graph, Path file) throws IOException {
        write(graph, file, Long.MAX_VALUE);
    }

    /**
     * Writes {@code graph} to {@code file}; initializers of at least {@code externalThresholdBytes}
     * bytes go to the external data file {@code <file name>.data} next to it (replaced if present).
     */
    public void write(Graph graph, Path file, long externalThresholdBytes) throws IOException {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String dataName = file.getFileName().toString() + ".data";
        Path dataFile = parent == null ? Path.of(dataName) : parent.resolve(dataName);
        OnnxMl.ModelProto model;
        boolean anyExternal = graph.initializers().values().stream()
                .anyMatch(t -> t.elementCount() * t.type().byteSize() >= externalThresholdBytes);
        if (anyExternal) {
            try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                model = toModel(graph, externalThresholdBytes, dataName, ch);
            }
        } else {
            Files.deleteIfExists(dataFile);
            model = toModel(graph, Long.MAX_VALUE, null, null);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
    }

    /**
     * The serialized model of {@code graph}, every initializer inside it, for in-memory sessions.
     *
     * @throws IllegalArgumentException when the model would exceed the 2 GiB protobuf limit
     */
    public byte[] toBytes(Graph graph) {
        try {
            OnnxMl.ModelProto model = toModel(graph, Long.MAX_VALUE, null, null);
            long size = model.getSerializedSize();
            if (size < 0 || size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("graph '" + graph.name() + "' exceeds 2 GiB; write it with external data");
            }
            return model.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ONNX model of {@code graph}, with every initializer inside it. */
    public OnnxMl.ModelProto toModel(Graph graph) {
        try {
            return toModel(graph, Long.MAX_VALUE, null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OnnxMl.ModelProto toModel(Graph graph, long threshold, String dataName, FileChannel dataChannel)
            throws IOException {
        OnnxMl.GraphProto.Builder gb = OnnxMl.GraphProto.newBuilder().setName(graph.name());
        long[] offset = {0};
        for (Tensor t : graph.initializers().values()) {
            long bytes = t.elementCount() * t.type().byteSize();
            if (dataChannel != null && bytes >= threshold) {
                long aligned = (offset[0] + 4095) / 4096 * 4096;
                ByteBuffer d = t.data();
                long pos = aligned;
                while (d.hasRemaining()) {
                    pos += dataChannel.write(d, pos);
                }
                offset[0] = aligned + bytes;
                OnnxMl.TensorProto.Builder tb = OnnxMl.TensorProto.newBuilder().setName(t.name())
                        .setDataType(t.type().onnxCode()).setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL);
                for (long dim : t.shape()) {
                    tb.addDims(dim);
                }
                tb.addExternalData(entry("location", dataName));
                tb.addExternalData(entry("offset", Long.toString(aligned)));
                tb.addExternalData(entry("length", Long.toString(bytes)));
                gb.addInitializer(tb);
            } else {
                gb.addInitializer(tensorProto(t));
            }
        }
        for (ValueInfo v : graph.inputs()) {
            gb.addInput(valueInfoProto(v));
        }
        for (ValueInfo v : graph.outputs()) {
            gb.addOutput(valueInfoProto(v));
        }
        for (ValueInfo v : graph.valueInfos().values()) {
            if (!graph.isInput(v.name()) && !graph.isOutput(v.name()) && graph.initializer(v.name()) == null) {
                gb.addValueInfo(valueInfoProto(v));
            }
        }
        Map<String, Long> domains = new TreeMap<>();
        for (Node n : graph.nodes()) {
            OnnxMl.NodeProto.Builder nb = OnnxMl.NodeProto.newBuilder().setName(n.name()).setOpType(n.opType())
                    .addAllInput(n.inputs()).addAllOutput(n.outputs());
            if (!n.domain().isEmpty()) {
                nb.setDomain(n.domain());
                domains.putIfAbsent(n.domain(), 1L);
            }
            for (Attribute a : n.attributes().values()) {
                nb.addAttribute(attributeProto(a));
            }
            gb.addNode(nb);
        }
        OnnxMl.ModelProto.Builder mb = OnnxMl.ModelProto.newBuilder().setIrVersion(irVersionFor(graph.opset()))
                .setProducerName(PRODUCER).setGraph(gb);
        mb.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(graph.opset()));
        domains.forEach((d, v) -> mb.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(d).setVersion(v)));
        return mb.build();
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** The ONNX tensor of {@code t}, data in {@code raw_data}. */
    static OnnxMl.TensorProto tensorProto(Tensor t) {
        OnnxMl.TensorProto.Builder tb = OnnxMl.TensorProto.newBuilder().setName(t.name()).setDataType(t.type().onnxCode());
        for (long dim : t.shape()) {
            tb.addDims(dim);
        }
        tb.setRawData(ByteString.copyFrom(t.data()));
        return tb.build();
    }

    private static OnnxMl.ValueInfoProto valueInfoProto(ValueInfo v) {
        OnnxMl.TensorShapeProto.Builder sb = OnnxMl.TensorShapeProto.newBuilder();
        long[] shape = v.shape();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0) {
                sb.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(shape[i]));
            } else {
                sb.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(v.name() + "_dim" + i));
            }
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(v.name()).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(v.type().onnxCode()).setShape(sb))).build();
    }

    private static OnnxMl.AttributeProto attributeProto(Attribute a) {
        OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(a.name());
        if (a instanceof Attribute.Int i) {
            b.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(i.value());
        } else if (a instanceof Attribute.Float f) {
            b.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f.value());
        } else if (a instanceof Attribute.Str s) {
            b.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s.value()));
        } else if (a instanceof Attribute.Ints is) {
            b.setType(OnnxMl.AttributeProto.AttributeType.INTS).addAllInts(is.values());
        } else if (a instanceof Attribute.Floats fs) {
            b.setType(OnnxMl.AttributeProto.AttributeType.FLOATS).addAllFloats(fs.values());
        } else if (a instanceof Attribute.Strings ss) {
            b.setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
            ss.values().forEach(s -> b.addStrings(ByteString.copyFromUtf8(s)));
        } else if (a instanceof Attribute.TensorValue t) {
            b.setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(tensorProto(t.value()));
        } else {
            throw new IllegalArgumentException("unknown attribute kind " + a);
        }
        return b.build();
    }
}
