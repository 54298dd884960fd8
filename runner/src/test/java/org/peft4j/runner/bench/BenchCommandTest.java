package org.peft4j.runner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.runner.cli.Peft4jCli;
import org.peft4j.runner.cli.StagedPlugins;

/**
 * {@code peft4j bench} end to end on the generated tiny encoder with 2 steps: every default
 * strategy appears in the table and the JSON, the ratios in the JSON are the quotients of the
 * JSON's own step times, and the all-frozen AFLoRA variant trains fewer parameters. No timing is
 * asserted.
 */
@ExtendWith(StagedPlugins.class)
class BenchCommandTest {

    @TempDir
    static Path temp;

    @Test
    void benchPrintsTheTableAndWritesConsistentJson() throws Exception {
        Path json = temp.resolve("bench.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Peft4jCli.execute(new String[] {"bench", "--model", "tiny-bert", "--batch", "2", "--seq", "8", "--steps", "2", "--warmup", "1",
                "--eval-steps", "1", "--matmul-size", "64", "--work-dir", temp.resolve("work").toString(), "--json", json.toString(),
                "--profile", temp.resolve("profiles").toString(), "--profile-runs", "1"},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, out + "\n" + err);
        String table = out.toString();
        for (BenchStrategy s : BenchStrategy.defaults()) {
            assertTrue(table.lines().anyMatch(l -> l.startsWith(s.name() + " ")), s.name() + " missing from\n" + table);
        }
        assertTrue(table.contains("MatMul limit (64^3 float32)"), table);
        assertTrue(table.contains("profile of lora-r8's training model"), table);
        assertTrue(table.contains("  MatMul "), "the per-operator profile lists MatMul\n" + table);

        JsonObject root = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("tiny-bert", root.get("model").getAsString());
        JsonArray rows = root.getAsJsonArray("strategies");
        assertEquals(BenchStrategy.defaults().size(), rows.size());
        double base = median(rows.get(0));
        double elora = median(rows.get(2));
        double limit = root.get("limitGflopsPerSecond").getAsDouble();
        assertEquals(Math.max(root.getAsJsonObject("matMulLimit").get("gflopsPerSecond").getAsDouble(),
                root.getAsJsonObject("matMulLimitAfter").get("gflopsPerSecond").getAsDouble()), limit, 1e-12);
        assertTrue(limit > 0);
        for (int i = 0; i < rows.size(); i++) {
            JsonObject r = rows.get(i).getAsJsonObject();
            assertEquals(2, r.getAsJsonObject("stepMillis").get("count").getAsInt());
            assertEquals(median(r) / base, r.get("vsBaseline").getAsDouble(), 1e-9);
            assertEquals(median(r) / elora, r.get("vsElora").getAsDouble(), 1e-9);
            double gflops = r.get("flopsPerStep").getAsLong() / (median(r) * 1e6);
            assertEquals(gflops, r.get("gflopsPerSecond").getAsDouble(), 1e-9);
            assertEquals(gflops / limit, r.get("ofMatMulLimit").getAsDouble(), 1e-9);
            assertTrue(r.get("flopsPerStep").getAsLong() > 0);
            assertTrue(Double.isFinite(r.get("lastLoss").getAsDouble()));
        }
        long aflora = rows.get(3).getAsJsonObject().get("trainableParameters").getAsLong();
        long afloraFrozen = rows.get(4).getAsJsonObject().get("trainableParameters").getAsLong();
        assertTrue(afloraFrozen < aflora, "freezing the projections leaves fewer trainable parameters: " + afloraFrozen + " vs " + aflora);
        assertTrue(rows.get(2).getAsJsonObject().get("flopsPerStep").getAsLong() > rows.get(1).getAsJsonObject().get("flopsPerStep").getAsLong(),
                "ELoRA r=1024 costs more operations than LoRA r=8");
        try (var left = Files.list(temp.resolve("work"))) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith("artifacts-")).count(), "compiled artifacts are removed");
        }
    }

    @Test
    void configStrategiesAreMeasuredWithAFrozenVariantForFreezingOnes() throws Exception {
        Path data = temp.resolve("reviews.csv");
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 12; i++) {
            csv.append(i % 2 == 0 ? "a good film" : "a bad film").append(',').append(i % 2 == 0 ? "pos" : "neg").append('\n');
        }
        Files.writeString(data, csv, StandardCharsets.UTF_8);
        Path config = temp.resolve("bench.yaml");
        Files.writeString(config, """
                name: bench-config
                model:
                  id: tiny-bert
                datasets:
                  - id: csv
                    train: %s
                seeds: [1]
                strategies:
                  - name: my-lora
                    method: lora
                    r: 2
                  - name: my-aflora
                    method: aflora
                    r: 2
                """.formatted(data.toString().replace('\\', '/')), StandardCharsets.UTF_8);
        Path json = temp.resolve("config-bench.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Peft4jCli.execute(new String[] {"bench", "--config", config.toString(), "--batch", "2", "--seq", "8", "--steps", "2",
                "--warmup", "0", "--eval-steps", "1", "--matmul-size", "32", "--json", json.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, out + "\n" + err);
        JsonObject root = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("tiny-bert", root.get("model").getAsString());
        JsonArray rows = root.getAsJsonArray("strategies");
        assertEquals(3, rows.size(), out.toString());
        assertEquals("my-lora", rows.get(0).getAsJsonObject().get("name").getAsString());
        assertEquals("my-aflora", rows.get(1).getAsJsonObject().get("name").getAsString());
        assertEquals("my-aflora-frozen", rows.get(2).getAsJsonObject().get("name").getAsString());
        assertTrue(rows.get(2).getAsJsonObject().get("allFrozen").getAsBoolean());
        assertEquals(2, rows.get(0).getAsJsonObject().getAsJsonObject("params").get("r").getAsInt());
        assertTrue(rows.get(0).getAsJsonObject().get("vsBaseline").isJsonNull(), "no head-only strategy, no baseline ratio");
    }

    @Test
    void unknownStrategyNameIsAUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Peft4jCli.execute(new String[] {"bench", "--model", "tiny-bert", "--only", "nope"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--only: no strategy 'nope'"), err.toString());
    }

    private static double median(com.google.gson.JsonElement row) {
        return row.getAsJsonObject().getAsJsonObject("stepMillis").get("median").getAsDouble();
    }
}
