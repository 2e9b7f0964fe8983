package watchtower.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Eventually;

/**
 * SQLite's write-ahead log under steady writes, as the writer runs it (commits back to back, the
 * checkpointer's {@code afterGroup} between them): it starts over from its beginning again and
 * again, instead of growing for as long as the writes go on; its file is cut back only once the
 * writes pause. Run with a short "long log", so a few seconds of writes show it.
 */
class WalCheckpointerTest {
    private static final int LONG_LOG_FRAMES = 4_096; // 16 MiB

    @TempDir
    Path dir;

    @Test
    void theLogStartsOverWhileWritesGoOnWithoutAPause() throws Exception {
        var file = dir.resolve("w.db");
        var log = file.resolveSibling("w.db-wal");
        var filler = "x".repeat(12 * 1024); // a few pages per commit: the log grows by tens of MB a second
        try (var writer = openWriter(file, "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)")) {
            try (var checkpointer = WalCheckpointer.start(file, writer, LONG_LOG_FRAMES, WalCheckpointer.LOG_SIZE_LIMIT);
                 var put = writer.prepareStatement("INSERT INTO kv VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v")) {
                long sequence = -1;
                int restarts = 0, writes = 0;
                // never a pause in which the checkpointer's own connection could copy the whole log;
                // bounded by a count and a time
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (restarts < 3 && writes < 2_000_000 && System.nanoTime() < deadline) {
                    put.setString(1, "k" + (writes % 64));
                    put.setString(2, writes + filler); // a row written again unchanged writes no page
                    put.executeUpdate();
                    checkpointer.afterGroup(writer);
                    if (++writes % 200 != 0) continue;
                    long now = checkpointSequence(log);
                    if (sequence >= 0 && now != sequence) restarts++;
                    sequence = now;
                }
                assertTrue(restarts >= 3, "the log started over " + restarts + " times in " + writes
                        + " writes; it is " + Files.size(log) + " bytes");
            }
        }
    }

    @Test
    void aLargeLogFileIsEmptiedWhenTheWritesPauseAndNotWhileTheyGoOn() throws Exception {
        var file = dir.resolve("w.db");
        var log = file.resolveSibling("w.db-wal");
        long sizeLimit = 1 << 20;
        var filler = "x".repeat(12 * 1024);
        int written = 0;
        try (var writer = openWriter(file, "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)")) {
            try (var checkpointer = WalCheckpointer.start(file, writer, LONG_LOG_FRAMES, sizeLimit);
                 var put = writer.prepareStatement("INSERT INTO kv VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v")) {
                long sequence = -1, largest = 0;
                int restarts = 0;
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (restarts < 2 && written < 2_000_000 && System.nanoTime() < deadline) {
                    put.setString(1, "k" + (written % 64));
                    put.setString(2, written + filler);
                    put.executeUpdate();
                    checkpointer.afterGroup(writer);
                    if (++written % 200 != 0) continue;
                    long size = Files.size(log);
                    // cutting the file back is the next commit's work if SQLite does it: 100 ms under load
                    assertTrue(size >= largest, "the log file shrank from " + largest + " to " + size + " bytes while writes went on");
                    largest = size;
                    long now = checkpointSequence(log);
                    if (sequence >= 0 && now != sequence) restarts++;
                    sequence = now;
                }
                assertTrue(restarts >= 2, "the log started over " + restarts + " times");
                assertTrue(largest > sizeLimit, "the log file never grew past the limit: " + largest + " bytes");

                // the checkpointer's rounds are a second apart: the first one after the pause cuts back
                Eventually.until("the log file cut back after the writes stopped", () -> sizeOf(log), size -> size <= sizeLimit);
            }
            try (var st = writer.createStatement(); var rs = st.executeQuery("SELECT count(*), max(CAST(v AS INTEGER)) FROM kv")) {
                rs.next();
                assertEquals(64, rs.getInt(1), "rows");
                assertEquals(written - 1, rs.getInt(2), "the last write is there");
            }
        }
    }

    @Test
    void emptyingTheLogGivesUpSoonWhileAReaderIsOnItInsteadOfHoldingUpWrites() throws Exception {
        var file = dir.resolve("w.db");
        var log = file.resolveSibling("w.db-wal");
        long sizeLimit = 1 << 20;
        try (var writer = openWriter(file, "CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
             var reader = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            // its first round cannot cut back (it sees the writes as new): this test calls the cut-back itself
            try (var checkpointer = WalCheckpointer.start(file, writer, Integer.MAX_VALUE, sizeLimit);
                 var put = writer.prepareStatement("INSERT INTO kv (v) VALUES (?)")) {
                var filler = "x".repeat(64 * 1024);
                for (int i = 0; i < 64; i++) {
                    put.setString(1, i + filler);
                    put.executeUpdate();
                }
                assertTrue(Files.size(log) > 2 * sizeLimit, "a log of " + Files.size(log) + " bytes");
                reader.setAutoCommit(false); // a read transaction: its snapshot keeps the log in use
                try (var st = reader.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM kv")) {
                    rs.next();
                }
                long start = System.nanoTime();
                checkpointer.cutBackIfLarge(); // holds the write lock while it waits for the reader
                long waitedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(waitedMs < 2_500, "writes were held up " + waitedMs + " ms (the busy timeout is 5 s)");
                assertTrue(Files.size(log) > sizeLimit, "emptied under a reader");
                reader.commit();
                checkpointer.cutBackIfLarge();
                assertTrue(sizeOf(log) <= sizeLimit, "not emptied once the reader was done: " + sizeOf(log));
                put.setString(1, "after");
                put.executeUpdate();
            }
        }
    }

    /** The write connection as the server opens it (WAL, synchronous=NORMAL), with one table. */
    private static Connection openWriter(Path file, String createTable) throws SQLException {
        var writer = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (var st = writer.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=NORMAL");
            st.execute(createTable);
        }
        return writer;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1; // gone counts as cut back
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
