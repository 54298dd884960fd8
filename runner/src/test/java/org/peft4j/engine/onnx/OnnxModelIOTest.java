package org.peft4j.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.zoo.models.TinyBertGraph;

class OnnxModelIOTest {

    private final OnnxModelIO io = new OnnxModelIO();

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsNodesInitializersAndSymbolicShapes() throws IOException {
        Graph g = TinyBertGraph.build(TinyBertGraph.Config.small());
        Path file = dir.resolve("tiny.onnx");
        io.write(g, file);
        Graph back = io.readAsIs(file);
        assertEquals(11, back.opset());
        assertEquals(g.inputs(), back.inputs());
        assertEquals(g.outputs(), back.outputs());
        long constants = g.nodes().stream().filter(n -> n.opType().equals("Constant")).count();
        assertEquals(g.nodes().size() - constants, back.nodes().size(), "Constant nodes become initializers");
        assertEquals(g.initializers().size() + constants, back.initializers().size());
        for (Tensor t : g.initializers().values()) {
            Tensor r = back.initializer(t.name());
            assertEquals(t.type(), r.type());
            assertArrayEquals(t.shape(), r.shape());
            assertEquals(t.data(), r.data(), t.name());
        }
        Node first = back.nodes().get(0);
        assertEquals("/Unsqueeze", first.name());
        assertArrayEquals(new long[] {1}, first.intsAttr("axes"));
    }

    @Test
    void largeInitializersGoToExternalDataAndComeBack() throws IOException {
        Graph g = TinyBertGraph.build(TinyBertGraph.Config.small());
        Path file = dir.resolve("model.onnx");
        io.write(g, file, 1024);
        Path data = dir.resolve("model.onnx.data");
        long external = g.initializers().values().stream().mapToLong(t -> t.elementCount() * t.type().byteSize())
                .filter(b -> b >= 1024).sum();
        assertTrue(Files.size(data) >= external, "external data written");
        assertTrue(Files.size(file) < io.toBytes(g).length - external + 1024, "model file holds only small tensors: " + Files.size(file));
        Graph back = io.read(file);
        assertEquals(OnnxModelIO.OPSET, back.opset());
        for (Tensor t : g.initializers().values()) {
            assertEquals(t.data(), back.initializer(t.name()).data(), t.name());
        }
        // rewriting without external data removes the stale side file
        io.write(g, file);
        assertTrue(Files.notExists(data));
    }

    @Test
    void typedFieldsConstantFormsAndAttributeKinds() throws IOException {
        OnnxMl.GraphProto.Builder gb = OnnxMl.GraphProto.newBuilder().setName("typed");
        gb.addInitializer(OnnxMl.TensorProto.newBuilder().setName("f").setDataType(1).addDims(2).addFloatData(1.5f).addFloatData(-2f));
        gb.addInitializer(OnnxMl.TensorProto.newBuilder().setName("d").setDataType(11).addDims(1).addDoubleData(0.25));
        gb.addInitializer(OnnxMl.TensorProto.newBuilder().setName("l").setDataType(7).addDims(3).addInt64Data(1).addInt64Data(-2)
                .addInt64Data(3));
        gb.addInitializer(OnnxMl.TensorProto.newBuilder().setName("i").setDataType(6).addInt32Data(-7));
        gb.addInitializer(OnnxMl.TensorProto.newBuilder().setName("b").setDataType(9).addDims(2).addInt32Data(1).addInt32Data(0));
        gb.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Constant").addOutput("cf").addAttribute(
                OnnxMl.AttributeProto.newBuilder().setName("value_float").setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(3f)));
        gb.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Constant").addOutput("ci").addAttribute(
                OnnxMl.AttributeProto.newBuilder().setName("value_ints").setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(4)
                        .addInts(5)));
        gb.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Constant").addOutput("ct").addAttribute(
                OnnxMl.AttributeProto.newBuilder().setName("value").setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                        .setT(OnnxMl.TensorProto.newBuilder().setDataType(7).addInt64Data(9))));
        gb.addNode(OnnxMl.NodeProto.newBuilder().setName("n").setOpType("Custom").setDomain("example").addInput("f").addOutput("y")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("names").setType(OnnxMl.AttributeProto.AttributeType.STRINGS)
                        .addStrings(ByteString.copyFromUtf8("a")).addStrings(ByteString.copyFromUtf8("b")))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("weights").setType(OnnxMl.AttributeProto.AttributeType.FLOATS)
                        .addFloats(0.5f))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("mode").setType(OnnxMl.AttributeProto.AttributeType.STRING)
                        .setS(ByteString.copyFromUtf8("fast"))));
        gb.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(OnnxMl.TensorShapeProto.newBuilder()
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("n"))))));
        byte[] bytes = OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(gb).build().toByteArray();
        Graph g = io.read(bytes, "typed.onnx", null);
        assertArrayEquals(new float[] {1.5f, -2f}, g.initializer("f").floats());
        assertArrayEquals(new double[] {0.25}, g.initializer("d").doubles());
        assertArrayEquals(new long[] {1, -2, 3}, g.initializer("l").longs());
        assertArrayEquals(new long[] {-7}, g.initializer("i").longs());
        assertEquals(DataType.BOOL, g.initializer("b").type());
        assertArrayEquals(new long[] {1, 0}, g.initializer("b").longs());
        assertArrayEquals(new float[] {3f}, g.initializer("cf").floats());
        assertArrayEquals(new long[] {4, 5}, g.initializer("ci").longs());
        assertArrayEquals(new long[] {9}, g.initializer("ct").longs());
        Node n = g.nodes().get(0);
        assertEquals("example", n.domain());
        assertEquals(List.of("a", "b"), ((Attribute.Strings) n.attributes().get("names")).values());
        assertEquals(List.of(0.5f), ((Attribute.Floats) n.attributes().get("weights")).values());
        assertEquals("fast", n.stringAttr("mode", ""));
        assertArrayEquals(new long[] {-1}, g.outputs().get(0).shape());
    }

    @Test
    void outputsWithoutShapesGetInferredOnes() throws IOException {
        OnnxMl.GraphProto.Builder gb = OnnxMl.GraphProto.newBuilder().setName("noshape");
        gb.addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(OnnxMl.TensorShapeProto.newBuilder()
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(2))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(3))))));
        gb.addNode(OnnxMl.NodeProto.newBuilder().setName("t").setOpType("Transpose").addInput("x").addOutput("y"));
        gb.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"));
        byte[] bytes = OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(gb).build().toByteArray();
        Graph g = io.read(bytes, "noshape.onnx", null);
        assertEquals(new ValueInfo("y", DataType.FLOAT, new long[] {3, 2}), g.outputs().get(0));
    }

    @Test
    void garbageAndTruncatedFilesAreIoErrorsNamingTheFile() throws IOException {
        Path garbage = dir.resolve("garbage.onnx");
        Files.write(garbage, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x12, 0x34});
        IOException e = assertThrows(IOException.class, () -> io.read(garbage));
        assertTrue(e.getMessage().contains("garbage.onnx"), e.getMessage());

        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "this is not a model");
        IOException e2 = assertThrows(IOException.class, () -> io.read(text));
        assertTrue(e2.getMessage().contains("notes.onnx"), e2.getMessage());

        byte[] model = io.toBytes(TinyBertGraph.build(TinyBertGraph.Config.small()));
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, java.util.Arrays.copyOf(model, model.length / 2));
        IOException e3 = assertThrows(IOException.class, () -> io.read(truncated));
        assertTrue(e3.getMessage().contains("truncated.onnx"), e3.getMessage());

        IOException e4 = assertThrows(IOException.class, () -> io.read(dir.resolve("missing.onnx")));
        assertTrue(e4.getMessage().contains("missing.onnx"), e4.getMessage());
    }

    @Test
    void externalDataOutsideTheModelFolderIsRejected() throws IOException {
        OnnxMl.GraphProto.Builder gb = OnnxMl.GraphProto.newBuilder().setName("escape");
        gb.addInitializer(OnnxMl.TensorProto.newBuilder().setName("w").setDataType(1).addDims(1)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("../secret.bin")));
        Path file = dir.resolve("escape.onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(gb).build().toByteArray());
        IOException e = assertThrows(IOException.class, () -> io.read(file));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void writtenGraphsDeclareOpsetIrVersionAndExtraDomains() {
        Graph g = new Graph("g", 17);
        g.addInput(new ValueInfo("x", DataType.FLOAT, new long[] {-1, 3}));
        g.addNode(new Node("n", "FusedMatMul", "com.microsoft", List.of("x", "x"), List.of("y"), List.of()));
        g.addOutput(new ValueInfo("y", DataType.FLOAT, new long[] {-1, -1}));
        OnnxMl.ModelProto m = io.toModel(g);
        assertEquals(8, m.getIrVersion());
        assertEquals(2, m.getOpsetImportCount());
        assertEquals("com.microsoft", m.getOpsetImport(1).getDomain());
        assertTrue(m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).hasDimParam());
    }
}
