package org.peft4j.engine.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    private Path writeSample() throws IOException {
        Path f = dir.resolve("sample.safetensors");
        SafeTensors.write(f, List.of(
                SafeTensor.ofFloats("w", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, Float.NaN}),
                SafeTensor.ofLongs("step", new long[] {}, new long[] {42}),
                SafeTensor.ofFloats("empty", new long[] {0}, new float[0])), Map.of("format", "peft4j"));
        return f;
    }

    @Test
    void roundTripsFloatsLongsAndMetadata() throws IOException {
        Path f = writeSample();
        SafeTensorsFile read = SafeTensors.read(f);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, Float.NaN}, read.require("w").floats());
        assertArrayEquals(new long[] {2, 3}, read.require("w").shape());
        assertArrayEquals(new long[] {42}, read.require("step").longs());
        assertEquals(0, read.require("empty").elementCount());
        assertEquals("peft4j", read.metadata().get("format"));
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to 8 bytes");
        SafeTensorsException missing = assertThrows(SafeTensorsException.class, () -> read.require("nope"));
        assertTrue(missing.getMessage().contains("sample.safetensors"));
    }

    @Test
    void rejectsDuplicateNames() {
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(dir.resolve("d.safetensors"),
                List.of(SafeTensor.ofFloats("a", new float[1]), SafeTensor.ofFloats("a", new float[1])), Map.of()));
    }

    @Test
    void everyTruncationIsReportedWithTheFileName() throws IOException {
        byte[] full = Files.readAllBytes(writeSample());
        for (int len = 0; len < full.length; len++) {
            Path f = dir.resolve("cut-" + len + ".safetensors");
            Files.write(f, Arrays.copyOf(full, len));
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f), "length " + len);
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        }
    }

    @Test
    void oversizedHeaderLengthsAreRejectedWithoutAllocating() throws IOException {
        for (long len : new long[] {Long.MAX_VALUE, -1L, 1L << 40, SafeTensors.MAX_HEADER_BYTES + 1, 1_000_000}) {
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(len);
            Path f = dir.resolve("big.safetensors");
            Files.write(f, b.array());
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
            assertTrue(e.getMessage().contains("header length"), e.getMessage());
        }
    }

    private Path withHeader(String json, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length);
        b.put(h);
        Path f = dir.resolve("h.safetensors");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void badOffsetsShapesAndTypesAreRejected() throws IOException {
        String[] bad = {
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4000000000]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,8]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}",
            "{\"a\":[1,2]}",
            "[1,2]",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}",
            "{\"__metadata__\":{\"k\":1}}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        };
        for (String json : bad) {
            Path f = withHeader(json, 8);
            try {
                SafeTensors.read(f);
                fail("accepted " + json);
            } catch (SafeTensorsException e) {
                assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            }
        }
    }

    @Test
    void randomByteCorruptionNeverEscapesAsAnotherException() throws IOException {
        byte[] full = Files.readAllBytes(writeSample());
        Random r = new Random(7);
        Path f = dir.resolve("fuzz.safetensors");
        for (int i = 0; i < 600; i++) {
            byte[] copy = full.clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                copy[r.nextInt(copy.length)] = (byte) r.nextInt(256);
            }
            Files.write(f, copy);
            try {
                SafeTensors.read(f);
            } catch (SafeTensorsException expected) {
                assertTrue(expected.getMessage().startsWith(f.toString()));
            }
        }
    }
}
