package org.peft4j.runner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Summing an ONNX Runtime profile: warm-up run dropped, kernel times per operator and node, per run. */
class OperatorProfileTest {

    @TempDir
    Path temp;

    @Test
    void sumsKernelTimesAfterTheWarmUpRun() throws Exception {
        Path file = temp.resolve("p.json");
        Files.writeString(file, """
                [
                 {"cat":"Session","name":"model_run","ts":100,"dur":1000},
                 {"cat":"Node","name":"mm1_kernel_time","ts":200,"dur":900000,"args":{"op_name":"MatMul"}},
                 {"cat":"Session","name":"model_run","ts":2000,"dur":1000},
                 {"cat":"Node","name":"mm1_kernel_time","ts":2100,"dur":4000,"args":{"op_name":"MatMul"}},
                 {"cat":"Node","name":"mm1_fence_before","ts":2100,"dur":7,"args":{"op_name":"MatMul"}},
                 {"cat":"Node","name":"add_kernel_time","ts":2200,"dur":2000,"args":{"op_name":"Add"}},
                 {"cat":"Session","name":"model_run","ts":3000,"dur":1000},
                 {"cat":"Node","name":"mm1_kernel_time","ts":3100,"dur":6000,"args":{"op_name":"MatMul"}}
                ]
                """, StandardCharsets.UTF_8);
        OperatorProfile p = OperatorProfile.summarise("s", file, 2);
        assertEquals(6.0, p.totalMillis(), 1e-12);
        assertEquals(List.of("MatMul", "Add"), List.copyOf(p.byOperator().keySet()));
        assertEquals(5.0, p.byOperator().get("MatMul"), 1e-12);
        assertEquals(1.0, p.byOperator().get("Add"), 1e-12);
        assertEquals(5.0, p.topNodes().get("MatMul mm1"), 1e-12);
        assertTrue(p.text().contains("83.3%"), p.text());
    }
}
