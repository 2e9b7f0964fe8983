package watchtower.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.TestDb;

/**
 * SQLite's write-ahead log stays short under steady writes: it starts over from its beginning
 * again and again, instead of growing for as long as the writes go on.
 */
class WalCheckpointerTest {
    @TempDir
    Path dir;

    @Test
    void theLogStartsOverWhileWritesGoOnWithoutAPause() throws Exception {
        TestDb.assumeSqlite("reads SQLite's own log file");
        var file = dir.resolve("w.db");
        var filler = "x".repeat(12 * 1024); // a few pages per commit: the log grows by tens of MB a second
        try (var store = Store.open(file, m -> { })) {
            var log = file.resolveSibling("w.db-wal");
            long firstStart = -1, longest = 0;
            int restarts = 0, writes = 0;
            // back-to-back commits from one thread: never a pause in which another connection's
            // checkpoint could copy the whole log; bounded by a count and a time
            long deadline = System.nanoTime() + 20_000_000_000L;
            for (int i = 0; i < 400_000 && restarts < 3 && System.nanoTime() < deadline; i++, writes++) {
                var key = "k" + (i % 64);
                var value = i + filler; // a row written again unchanged writes no page
                store.writer().execute(tx -> {
                    store.settings().put(tx, key, value);
                    return null;
                });
                if (i % 200 != 0) continue;
                longest = Math.max(longest, Files.size(log));
                long start = checkpointSequence(log);
                if (firstStart < 0) firstStart = start;
                else if (start != firstStart) {
                    restarts++;
                    firstStart = start;
                }
            }
            assertTrue(restarts >= 3, "the log started over " + restarts + " times in "
                    + writes + " writes; it is " + Files.size(log) + " bytes");
            assertTrue(longest <= 2 * (64L << 20), "the log reached " + longest + " bytes");
        }
    }

    /** The WAL header's checkpoint sequence number: SQLite adds one each time the log starts over. */
    private static long checkpointSequence(Path log) throws IOException {
        try (var f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(12);
            return Integer.toUnsignedLong(f.readInt());
        }
    }
}
