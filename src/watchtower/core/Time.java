package watchtower.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps as the reference API writes them: UTC "yyyy-MM-dd HH:mm:ss" (SQLite's CURRENT_TIMESTAMP). */
public final class Time {
    private Time() {}

    private static final DateTimeFormatter API =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    public static String format(Instant instant) {
        return API.format(instant);
    }

    public static String now() {
        return format(Instant.now());
    }
}
