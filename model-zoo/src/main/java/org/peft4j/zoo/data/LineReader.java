package org.peft4j.zoo.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads a text stream line by line as strict UTF-8, counting lines.
 *
 * <p>Contract: lines end at {@code \n}; a {@code \r} before it is dropped; a byte-order mark at the
 * start of the first line is dropped. Bytes that are not valid UTF-8 raise a
 * {@link MalformedDataException} naming the source and line. {@link #lineNumber()} is the 1-based
 * number of the line last returned. Not thread-safe.
 */
public final class LineReader implements Closeable {

    private final InputStream in;
    private final String source;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[256];
    private int lineLength;
    private final byte[] chunk = new byte[1 << 16];
    private int position;
    private int limit;
    private long lineNumber;
    private boolean eof;

    /**
     * @param in the stream; closed by {@link #close()}
     * @param source the file path or resource name used in error messages
     */
    public LineReader(InputStream in, String source) {
        this.in = Objects.requireNonNull(in, "in");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The next line without its terminator, or null at the end of the stream. */
    public String readLine() throws IOException {
        if (eof) {
            return null;
        }
        lineLength = 0;
        boolean terminated = false;
        while (!terminated) {
            if (position == limit) {
                limit = in.read(chunk);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    eof = true;
                    break;
                }
            }
            int end = position;
            while (end < limit && chunk[end] != '\n') {
                end++;
            }
            append(position, end - position);
            terminated = end < limit;
            position = terminated ? end + 1 : end;
        }
        if (eof && lineLength == 0) {
            return null;
        }
        lineNumber++;
        byte[] bytes = line;
        int length = lineLength;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        int start = 0;
        if (lineNumber == 1 && length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            start = 3;
        }
        boolean ascii = true;
        for (int i = start; i < length && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) {
            return new String(bytes, start, length - start, StandardCharsets.US_ASCII);
        }
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, start, length - start)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedDataException(source, lineNumber, "the line is not valid UTF-8 text");
        }
    }

    private void append(int from, int count) {
        if (lineLength + count > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
        }
        System.arraycopy(chunk, from, line, lineLength, count);
        lineLength += count;
    }

    /** The 1-based number of the line last returned (0 before the first). */
    public long lineNumber() {
        return lineNumber;
    }

    /** The source name used in messages. */
    public String source() {
        return source;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
