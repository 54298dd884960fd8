package org.peft4j.engine.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.onnx.OnnxModelIO;

class OrtRuntimeTest {

    @TempDir
    Path dir;

    private Path model() throws Exception {
        Graph g = new Graph("neg", 17);
        g.addInput(new ValueInfo("x", DataType.FLOAT, new long[] {2}));
        String y = g.op("Neg", List.of("x"));
        g.addOutput(new ValueInfo(y, DataType.FLOAT, new long[] {2}));
        Path f = dir.resolve("neg.onnx");
        Files.write(f, new OnnxModelIO().toBytes(g));
        return f;
    }

    private static boolean cudaWorks(Path model) {
        ExecutionSettings fail = new ExecutionSettings(Device.CUDA, DeviceFallback.FAIL, 1, 0);
        try (OrtSession s = OrtRuntime.openSession(model, fail, Map.of())) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void cudaFallsBackToTheCpuOrFailsAsConfigured() throws Exception {
        Path m = model();
        assumeTrue(!cudaWorks(m), "a CUDA provider is available here");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OrtRuntime.openSession(m, new ExecutionSettings(Device.CUDA, DeviceFallback.FAIL, 1, 0), Map.of()));
        assertTrue(e.getMessage().contains("device-fallback: fail"), e.getMessage());
        ExecutionSettings fallback = new ExecutionSettings(Device.CUDA, DeviceFallback.CPU, 1, 0);
        try (OrtSession s = OrtRuntime.openSession(m, fallback, Map.of())) {
            assertEquals(1, s.getNumInputs());
        }
        assertEquals(Device.CPU, OrtRuntime.effectiveDevice(fallback));
        assertEquals(Device.CPU, OrtRuntime.effectiveDevice(ExecutionSettings.defaults()));
    }

    @Test
    void parsesConfigValues() {
        assertEquals(Device.CUDA, Device.parse(" CUDA "));
        assertEquals(DeviceFallback.FAIL, DeviceFallback.parse("fail"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
        assertTrue(e.getMessage().contains("tpu") && e.getMessage().contains("cpu, cuda"));
        assertThrows(IllegalArgumentException.class, () -> new ExecutionSettings(Device.CPU, DeviceFallback.CPU, 0, 0));
    }
}
