package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    @Test
    void entriesComeBackInOrderAndOnlyRemovedOnesLeave() throws Exception {
        var spool = spool(100, 1 << 20);
        assertTrue(spool.isEmpty());
        for (int i = 0; i < 5; i++) spool.append(request(i));
        assertEquals(List.of("0", "1", "2", "3", "4"), ids(spool.oldest(100)));
        assertEquals(List.of("0", "1"), ids(spool.oldest(2)));
        spool.remove(Set.of("0", "2"));
        assertEquals(List.of("1", "3", "4"), ids(spool.oldest(100)));
        spool.remove(Set.of("1", "3", "4"));
        assertTrue(spool.isEmpty());
    }

    @Test
    void bodiesWithNewlinesAndUnicodeStayOneLineEach() throws Exception {
        var spool = spool(100, 1 << 20);
        var r = new HookRequest("x", "POST", "/events", "{\n \"s\": \"日本 \\\" ✓\"\n}");
        spool.append(r);
        assertEquals(1, Files.readAllLines(spool.file(), UTF_8).size());
        assertEquals(List.of(r), spool.oldest(10));
    }

    @Test
    void fullByCountDropsTheOldestAndLogsHowMany() throws Exception {
        var spool = spool(10, 1 << 20);
        for (int i = 0; i < 11; i++) spool.append(request(i));
        var left = ids(spool.oldest(100));
        assertTrue(left.size() <= 10, "bounded: " + left);
        assertEquals("10", left.get(left.size() - 1), "the newest is kept");
        assertEquals(List.of("2", "3", "4", "5", "6", "7", "8", "9", "10"), left, "trimmed to 90% so trims are rare");
        assertTrue(Files.readString(dir.resolve("hook.log"), UTF_8).contains("dropped the 2 oldest"));
    }

    @Test
    void fullByBytesDropsTheOldest() throws Exception {
        var one = (request(0).toLine() + "\n").getBytes(UTF_8).length;
        var spool = spool(1000, one * 5L);
        for (int i = 0; i < 6; i++) spool.append(request(i));
        assertTrue(Files.size(spool.file()) <= one * 5L);
        var left = ids(spool.oldest(100));
        assertEquals("5", left.get(left.size() - 1));
        assertTrue(left.size() < 6);
    }

    @Test
    void aLineCutShortByACrashIsSkippedAndDroppedOnTheNextRewrite() throws Exception {
        var spool = spool(100, 1 << 20);
        spool.append(request(0));
        Files.writeString(spool.file(), "{\"id\":\"half", UTF_8, StandardOpenOption.APPEND); // no newline: cut short
        Files.writeString(spool.file(), "\n", UTF_8, StandardOpenOption.APPEND);
        spool.append(request(1));
        assertEquals(List.of("0", "1"), ids(spool.oldest(100)));
        spool.remove(Set.of("0"));
        assertEquals(List.of(request(1).toLine()), Files.readAllLines(spool.file(), UTF_8));
    }

    @Test
    void flushLockIsExclusiveAndReleasedOnClose() throws Exception {
        var spool = spool(100, 1 << 20);
        var held = spool.tryFlushLock();
        assertTrue(held.isPresent());
        held.get().close();
        var again = spool.tryFlushLock();
        assertTrue(again.isPresent(), "released on close");
        again.get().close();
    }

    // --- infra ---

    private Spool spool(int maxEntries, long maxBytes) {
        return new Spool(dir.resolve("spool"), maxEntries, maxBytes, new ReentrantLock(),
                new HookLog(dir.resolve("hook.log"), HookLog.DEFAULT_MAX_BYTES, "test"));
    }

    static HookRequest request(int i) {
        return new HookRequest(Integer.toString(i), "POST", "/events", "{\"event_type\":\"E" + i + "\"}");
    }

    private static List<String> ids(List<HookRequest> rs) {
        return rs.stream().map(HookRequest::id).toList();
    }
}
