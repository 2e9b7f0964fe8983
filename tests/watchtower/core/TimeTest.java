package watchtower.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeTest {
    @Test
    void formatsUtcLikeSqliteCurrentTimestamp() {
        assertEquals("2026-11-25 10:11:01", Time.format(Instant.parse("2026-11-25T10:11:01.987Z")));
    }

    @Test
    void nowHasTheApiShape() {
        assertTrue(Time.now().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));
    }
}
