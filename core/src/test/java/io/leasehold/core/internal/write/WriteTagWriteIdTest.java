package io.leasehold.core.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link WriteTag#writeIdOf} reads the write id exactly as {@link WriteTag#of} does, without the history. */
class WriteTagWriteIdTest {
    private static Map<String, String> meta(String id, String history) {
        Map<String, String> m = new HashMap<>();
        if (id != null) {
            m.put(WriteTag.WRITE_ID, id);
        }
        if (history != null) {
            m.put(WriteTag.HISTORY, history);
        }
        return m;
    }

    @Test
    void sameAnswerAsTheFullParse() {
        for (Map<String, String> m : java.util.List.of(
                meta("0123456789abcdef", "- fedcba9876543210"), meta(" 0123456789abcdef ", null),
                meta("0123456789abcdef", "not a history!"), meta("0123456789ABCDEF", null), meta("short", null),
                meta(null, "0123456789abcdef"), Map.<String, String>of())) {
            assertEquals(WriteTag.of(m).writeId(), WriteTag.writeIdOf(m), m.toString());
        }
        assertEquals(null, WriteTag.writeIdOf(null));
    }
}
