package org.peft4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static List<String> lines(byte[] bytes) throws IOException {
        List<String> out = new ArrayList<>();
        try (LineReader r = new LineReader(new ByteArrayInputStream(bytes), "mem")) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
                assertEquals(out.size(), r.lineNumber());
            }
            assertNull(r.readLine());
        }
        return out;
    }

    @Test
    void handlesBomCrLfEmptyLinesAndAMissingFinalNewline() throws IOException {
        byte[] text = "\uFEFFhead\r\n\r\ncafé\nlast".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("head", "", "café", "last"), lines(text));
        assertEquals(List.of("a", "b"), lines("a\nb\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), lines(new byte[0]));
        assertEquals(List.of("x\uFEFF"), lines("x\uFEFF".getBytes(StandardCharsets.UTF_8)), "only a leading mark is dropped");
    }

    @Test
    void longLinesSpanningBuffersAreJoined() throws IOException {
        String longLine = "é".repeat(70_000);
        assertEquals(List.of("start", longLine, "end"), lines(("start\n" + longLine + "\nend").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void invalidUtf8NamesTheLine() {
        byte[] bytes = {'o', 'k', '\n', 'b', 'a', (byte) 0xFF, 'd', '\n'};
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> lines(bytes));
        assertEquals("mem", e.source());
        assertEquals(2, e.line());
        assertEquals("mem:2: the line is not valid UTF-8 text", e.getMessage());
    }
}
