package org.peft4j.api.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParameterCountsTest {

    private static final List<AdapterParameter> PARAMS = List.of(
            new AdapterParameter("shared", "", "vera_A", new long[] {10, 4}, false, false),
            new AdapterParameter("m.A", "m", "aflora_A", new long[] {6, 4}, true, true),
            new AdapterParameter("m.B", "m", "aflora_B", new long[] {4, 5}, true, true),
            new AdapterParameter("m.d", "m", "aflora_d", new long[] {4}, true, false));

    @Test
    void partitionsEveryScalar() {
        ParameterCounts start = ParameterCounts.initial(PARAMS);
        assertEquals(new ParameterCounts(48, 44, 0, 40), start);
        assertEquals(4, start.permanent());
        assertEquals(88, start.total());
        ParameterCounts later = ParameterCounts.of(PARAMS, Set.of("m.A", "shared", "unknown"));
        assertEquals(new ParameterCounts(24, 20, 24, 40), later);
        assertEquals(88, later.total());
    }

    @Test
    void rejectsInconsistentCounts() {
        assertThrows(IllegalArgumentException.class, () -> new ParameterCounts(1, 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ParameterCounts(-1, 0, 0, 0));
    }
}
