package org.peft4j.engine.safetensors;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads and writes safetensors files.
 *
 * <p>Layout written: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of
 * UTF-8 JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * (offsets relative to the end of the header) plus an optional {@code "__metadata__"} object of
 * strings, padded with spaces to a multiple of 8; then the tensors' bytes, little-endian, in name
 * order, without gaps.
 *
 * <p>Contract of {@link #read}: before reading any tensor data it checks that the header length
 * fits the file and {@link #MAX_HEADER_BYTES}, that the JSON is well formed, that every dtype is
 * supported, that every shape matches its byte range, and that the ranges lie inside the file,
 * do not overlap and cover the data section exactly. Any violation is a
 * {@link SafeTensorsException} naming the file (and the tensor). Allocation is bounded by the file
 * size, so a hostile header cannot make the reader allocate more than the file holds.
 */
public final class SafeTensors {

    /** The largest header accepted, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final String METADATA_KEY = "__metadata__";

    private SafeTensors() {
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file}, replacing it. The write is not
     * atomic by itself; callers that need atomicity write to a temporary name and rename.
     *
     * @param file the target file
     * @param tensors the tensors; their names must be distinct and must not be {@code __metadata__}
     * @param metadata string metadata, possibly empty
     */
    public static void write(Path file, Iterable<SafeTensor> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        TreeMap<String, SafeTensor> sorted = new TreeMap<>();
        for (SafeTensor t : tensors) {
            if (METADATA_KEY.equals(t.name())) {
                throw new IllegalArgumentException("a tensor may not be named " + METADATA_KEY);
            }
            if (sorted.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "' for " + file);
            }
        }
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            new TreeMap<>(metadata).forEach(meta::addProperty);
            header.add(METADATA_KEY, meta);
        }
        long offset = 0;
        for (SafeTensor t : sorted.values()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", t.dtype().code());
            JsonArray shape = new JsonArray();
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            long size = (long) t.elementCount() * t.dtype().byteSize();
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + size);
            entry.add("data_offsets", offsets);
            header.add(t.name(), entry);
            offset += size;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded);
        head.put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, head);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (SafeTensor t : sorted.values()) {
                if (t.dtype() == DType.F32) {
                    for (float v : t.floatsNoCopy()) {
                        if (chunk.remaining() < 4) {
                            flush(ch, chunk);
                        }
                        chunk.putFloat(v);
                    }
                } else {
                    for (long v : t.longsNoCopy()) {
                        if (chunk.remaining() < 8) {
                            flush(ch, chunk);
                        }
                        chunk.putLong(v);
                    }
                }
            }
            flush(ch, chunk);
            ch.force(true);
        }
    }

    /**
     * Reads a whole file after validating its header (see the class contract).
     *
     * @throws SafeTensorsException when the file is truncated, corrupted or unsupported
     * @throws IOException when it cannot be read
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw new SafeTensorsException(file, "truncated: " + fileSize + " bytes, expected at least the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
                throw new SafeTensorsException(file, "header length " + Long.toUnsignedString(headerLen)
                        + " is outside the accepted range [2, " + MAX_HEADER_BYTES + "]");
            }
            if (headerLen > fileSize - 8) {
                throw new SafeTensorsException(file, "truncated: header length " + headerLen + " exceeds the " + (fileSize - 8)
                        + " bytes after the length field");
            }
            ByteBuffer headBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headBuf, 8, file);
            String json;
            try {
                json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headBuf.flip()).toString();
            } catch (CharacterCodingException e) {
                throw new SafeTensorsException(file, "header is not valid UTF-8");
            }
            long dataStart = 8 + headerLen;
            long dataSize = fileSize - dataStart;
            List<Entry> entries = new ArrayList<>();
            Map<String, String> metadata = parseHeader(file, json, dataSize, entries);
            checkCoverage(file, entries, dataSize);
            Map<String, SafeTensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                tensors.put(e.name, readTensor(ch, file, dataStart, e));
            }
            return new SafeTensorsFile(file, Collections.unmodifiableMap(tensors), metadata);
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    private static Map<String, String> parseHeader(Path file, String json, long dataSize, List<Entry> entries)
            throws SafeTensorsException {
        JsonObject header;
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonObject()) {
                throw new SafeTensorsException(file, "header is not a JSON object");
            }
            header = root.getAsJsonObject();
        } catch (SafeTensorsException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new SafeTensorsException(file, "header is not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> kv : header.entrySet()) {
            String name = kv.getKey();
            JsonElement value = kv.getValue();
            if (METADATA_KEY.equals(name)) {
                if (!value.isJsonObject()) {
                    throw new SafeTensorsException(file, METADATA_KEY + " is not an object of strings");
                }
                for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
                    if (!m.getValue().isJsonPrimitive() || !m.getValue().getAsJsonPrimitive().isString()) {
                        throw new SafeTensorsException(file, "metadata '" + m.getKey() + "' is not a string");
                    }
                    metadata.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            if (!value.isJsonObject()) {
                throw new SafeTensorsException(file, "tensor '" + name + "': entry is not an object");
            }
            JsonObject o = value.getAsJsonObject();
            String code = stringField(file, name, o, "dtype");
            DType dtype = DType.fromCode(code);
            if (dtype == null) {
                throw new SafeTensorsException(file, "tensor '" + name + "': dtype " + code + " is not supported (expected F32 or I64)");
            }
            long[] shape = longArray(file, name, o, "shape", -1);
            long[] offsets = longArray(file, name, o, "data_offsets", 2);
            long begin = offsets[0];
            long end = offsets[1];
            if (begin < 0 || end < begin || end > dataSize) {
                throw new SafeTensorsException(file, "tensor '" + name + "': data_offsets [" + begin + ", " + end
                        + "] lie outside the " + dataSize + "-byte data section (truncated or corrupted file)");
            }
            long count;
            try {
                count = SafeTensor.elementCount(shape, name);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new SafeTensorsException(file, "tensor '" + name + "': invalid shape " + java.util.Arrays.toString(shape));
            }
            if (count * dtype.byteSize() != end - begin) {
                throw new SafeTensorsException(file, "tensor '" + name + "': shape " + java.util.Arrays.toString(shape) + " of "
                        + dtype.code() + " needs " + count * dtype.byteSize() + " bytes but data_offsets span " + (end - begin));
            }
            entries.add(new Entry(name, dtype, shape, begin, end));
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static void checkCoverage(Path file, List<Entry> entries, long dataSize) throws SafeTensorsException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin != expected) {
                throw new SafeTensorsException(file, "tensor '" + e.name + "' starts at byte " + e.begin + " of the data section, expected "
                        + expected + (e.begin < expected ? " (overlapping tensors)" : " (gap between tensors)"));
            }
            expected = e.end;
        }
        if (expected != dataSize) {
            throw new SafeTensorsException(file, "the tensors cover " + expected + " bytes but the data section holds " + dataSize
                    + " (trailing bytes)");
        }
    }

    private static SafeTensor readTensor(FileChannel ch, Path file, long dataStart, Entry e) throws IOException {
        int count = (int) ((e.end - e.begin) / e.dtype.byteSize());
        ByteBuffer buf = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + e.begin, file);
        buf.flip();
        if (e.dtype == DType.F32) {
            float[] values = new float[count];
            buf.asFloatBuffer().get(values);
            return SafeTensor.adopt(e.name, e.dtype, e.shape, values, null);
        }
        long[] values = new long[count];
        buf.asLongBuffer().get(values);
        return SafeTensor.adopt(e.name, e.dtype, e.shape, null, values);
    }

    private static String stringField(Path file, String tensor, JsonObject o, String field) throws SafeTensorsException {
        JsonElement v = o.get(field);
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw new SafeTensorsException(file, "tensor '" + tensor + "': missing or non-string '" + field + "'");
        }
        return v.getAsString();
    }

    private static long[] longArray(Path file, String tensor, JsonObject o, String field, int requiredLength)
            throws SafeTensorsException {
        JsonElement v = o.get(field);
        if (v == null || !v.isJsonArray()) {
            throw new SafeTensorsException(file, "tensor '" + tensor + "': missing or non-array '" + field + "'");
        }
        JsonArray a = v.getAsJsonArray();
        if (requiredLength >= 0 && a.size() != requiredLength) {
            throw new SafeTensorsException(file, "tensor '" + tensor + "': '" + field + "' has " + a.size() + " entries, expected "
                    + requiredLength);
        }
        if (a.size() > 64) {
            throw new SafeTensorsException(file, "tensor '" + tensor + "': '" + field + "' has " + a.size() + " entries (at most 64 axes)");
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement x = a.get(i);
            try {
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                    throw new NumberFormatException();
                }
                out[i] = new java.math.BigDecimal(x.getAsString()).longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new SafeTensorsException(file, "tensor '" + tensor + "': '" + field + "' entry " + i + " is not an integer");
            }
            if (out[i] < 0) {
                throw new SafeTensorsException(file, "tensor '" + tensor + "': '" + field + "' entry " + i + " is negative");
            }
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new SafeTensorsException(file, "truncated: unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static void flush(FileChannel ch, ByteBuffer chunk) throws IOException {
        chunk.flip();
        writeFully(ch, chunk);
        chunk.clear();
    }

    /** Reads the file bytes' SHA-256 as lower-case hex. */
    public static String sha256(Path file) throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }
}
