package org.peft4j.zoo.models;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;

/**
 * Serializes a {@link Graph} as an ONNX {@code ModelProto}, so that models the zoo generates in
 * memory reach the engine the same way as shipped exports: as a file read with
 * {@link org.peft4j.api.model.ModelContext#graphReader()}, which upgrades and checks them.
 *
 * <p>It writes the protobuf wire format directly (field numbers of the ONNX IR): the model's IR
 * version (7 for opsets up to 14, 8 up to 18, 9 above) and one opset import per domain used (the
 * default domain at {@link Graph#opset()}, others at 1), the producer {@code peft4j-model-zoo}, and
 * the graph's nodes, initializers (raw little-endian data), inputs, outputs and value infos; a
 * negative extent becomes a symbolic dimension named {@code <value>_dim<i>}. Every attribute kind of
 * {@link Attribute} is supported. Stateless.
 */
final class OnnxProtoWriter {

    private OnnxProtoWriter() {
    }

    /** The serialized model of {@code graph}. */
    static byte[] toBytes(Graph graph) {
        Proto model = new Proto();
        int opset = graph.opset();
        model.varint(1, opset <= 14 ? 7 : opset <= 18 ? 8 : 9);
        Set<String> domains = new LinkedHashSet<>();
        domains.add("");
        for (Node n : graph.nodes()) {
            domains.add(n.domain());
        }
        for (String d : domains) {
            Proto op = new Proto();
            op.string(1, d);
            op.varint(2, d.isEmpty() ? opset : 1);
            model.message(8, op);
        }
        model.string(2, "peft4j-model-zoo");
        model.message(7, graph(graph));
        return model.bytes();
    }

    private static Proto graph(Graph graph) {
        Proto g = new Proto();
        for (Node n : graph.nodes()) {
            g.message(1, node(n));
        }
        g.string(2, graph.name());
        for (Tensor t : graph.initializers().values()) {
            g.message(5, tensor(t));
        }
        for (ValueInfo v : graph.inputs()) {
            g.message(11, valueInfo(v));
        }
        for (ValueInfo v : graph.outputs()) {
            g.message(12, valueInfo(v));
        }
        for (ValueInfo v : graph.valueInfos().values()) {
            g.message(13, valueInfo(v));
        }
        return g;
    }

    private static Proto node(Node n) {
        Proto p = new Proto();
        for (String in : n.inputs()) {
            p.string(1, in);
        }
        for (String out : n.outputs()) {
            p.string(2, out);
        }
        p.string(3, n.name());
        p.string(4, n.opType());
        for (Attribute a : n.attributes().values()) {
            p.message(5, attribute(a));
        }
        if (!n.domain().isEmpty()) {
            p.string(7, n.domain());
        }
        return p;
    }

    private static Proto attribute(Attribute a) {
        Proto p = new Proto();
        p.string(1, a.name());
        if (a instanceof Attribute.Float f) {
            p.fixed32(2, Float.floatToRawIntBits(f.value()));
            p.varint(20, 1);
        } else if (a instanceof Attribute.Int i) {
            p.varint(3, i.value());
            p.varint(20, 2);
        } else if (a instanceof Attribute.Str s) {
            p.bytes(4, s.value().getBytes(StandardCharsets.UTF_8));
            p.varint(20, 3);
        } else if (a instanceof Attribute.TensorValue t) {
            p.message(5, tensor(t.value()));
            p.varint(20, 4);
        } else if (a instanceof Attribute.Floats fs) {
            for (Float v : fs.values()) {
                p.fixed32(7, Float.floatToRawIntBits(v));
            }
            p.varint(20, 6);
        } else if (a instanceof Attribute.Ints is) {
            for (long v : is.array()) {
                p.varint(8, v);
            }
            p.varint(20, 7);
        } else {
            throw new IllegalArgumentException("unsupported attribute " + a);
        }
        return p;
    }

    private static Proto tensor(Tensor t) {
        Proto p = new Proto();
        for (long d : t.shape()) {
            p.varint(1, d);
        }
        p.varint(2, t.type().onnxCode());
        if (!t.name().isEmpty()) {
            p.string(8, t.name());
        }
        ByteBuffer data = t.data();
        byte[] raw = new byte[data.remaining()];
        data.get(raw);
        p.bytes(9, raw);
        return p;
    }

    private static Proto valueInfo(ValueInfo v) {
        Proto shape = new Proto();
        long[] dims = v.shape();
        for (int i = 0; i < dims.length; i++) {
            Proto dim = new Proto();
            if (dims[i] >= 0) {
                dim.varint(1, dims[i]);
            } else {
                dim.string(2, v.name() + "_dim" + i);
            }
            shape.message(1, dim);
        }
        Proto tensorType = new Proto();
        tensorType.varint(1, v.type().onnxCode());
        tensorType.message(2, shape);
        Proto type = new Proto();
        type.message(1, tensorType);
        Proto p = new Proto();
        p.string(1, v.name());
        p.message(2, type);
        return p;
    }

    /** One protobuf message being written. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            tag(field, 0);
            raw(value);
        }

        void fixed32(int field, int value) {
            tag(field, 5);
            for (int i = 0; i < 4; i++) {
                out.write((value >>> (8 * i)) & 0xff);
            }
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(int field, byte[] value) {
            tag(field, 2);
            raw(value.length);
            out.write(value, 0, value.length);
        }

        void message(int field, Proto message) {
            bytes(field, message.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            raw(((long) field << 3) | wireType);
        }

        private void raw(long value) {
            while ((value & ~0x7fL) != 0) {
                out.write((int) ((value & 0x7f) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
