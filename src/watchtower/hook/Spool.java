package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * Requests the server could not take, kept in order in {@code spool.jsonl} (one
 * {@link HookRequest} line each) until a later run delivers them. Every change happens
 * under an OS file lock ({@code spool.lock}), so hooks running at once never interleave
 * lines; rewrites go through a temporary file and an atomic rename, so a reader sees the
 * old file or the new one. Bounded by entries and bytes: when full, the oldest entries go
 * (down to 90%, so trimming is rare) and the drop is logged. The folder is private (0700):
 * payloads hold prompts and commands.
 */
public final class Spool {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    public static final long DEFAULT_MAX_BYTES = 50L << 20;

    /** The shortest line {@link HookRequest#toLine()} can write: fewer bytes cannot hold the cap's count. */
    private static final int MIN_LINE_BYTES = "{\"id\":\"\",\"method\":\"\",\"path\":\"\",\"body\":\"\"}\n".length();

    private final Path dir;
    private final Path file;
    private final int maxEntries;
    private final long maxBytes;
    private final Lock critical;
    private final HookLog log;

    /**
     * {@code critical} is held around every operation: it orders this JVM's threads (the
     * deadline watchdog may append a last entry) and, held around writes, it keeps the
     * watchdog from halting mid-line. It is always taken before the file lock.
     */
    public Spool(Path dir, int maxEntries, long maxBytes, Lock critical, HookLog log) {
        this.dir = dir;
        this.file = dir.resolve("spool.jsonl");
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.critical = critical;
        this.log = log;
    }

    public Path file() {
        return file;
    }

    /** Cheap and lock-free: the common case (nothing owed) costs one stat. */
    public boolean isEmpty() {
        try {
            return !Files.exists(file) || Files.size(file) == 0;
        } catch (IOException e) {
            return true;
        }
    }

    public void append(HookRequest request) throws IOException {
        var bytes = (request.toLine() + "\n").getBytes(UTF_8);
        critical.lock();
        try (var held = lockData()) {
            trimIfFull(bytes.length);
            try (var ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), privateFile())) {
                var buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
            }
        } finally {
            critical.unlock();
        }
    }

    /** The oldest {@code max} whole entries, in order; lines that are not whole entries are skipped. */
    public List<HookRequest> oldest(int max) throws IOException {
        var out = new ArrayList<HookRequest>();
        if (isEmpty()) return out;
        critical.lock();
        try (var held = lockData()) {
            if (!Files.exists(file)) return out;
            try (var in = reader()) {
                String line;
                while (out.size() < max && (line = in.readLine()) != null) {
                    var entry = HookRequest.fromLine(line);
                    if (entry.isPresent()) out.add(entry.get());
                }
            }
        } finally {
            critical.unlock();
        }
        return out;
    }

    /** Drops the entries with these ids (and any broken line); keeps the rest in order. */
    public void remove(Set<String> ids) throws IOException {
        if (isEmpty()) return;
        critical.lock();
        try (var held = lockData()) {
            if (!Files.exists(file)) return;
            var kept = new ArrayList<String>();
            int broken = 0;
            int removed = 0;
            try (var in = reader()) {
                String line;
                while ((line = in.readLine()) != null) {
                    var entry = HookRequest.fromLine(line);
                    if (entry.isEmpty()) broken++;
                    else if (ids.contains(entry.get().id())) removed++;
                    else kept.add(line);
                }
            }
            if (broken > 0) log.warn("spool: dropped " + broken + " broken line(s)");
            if (broken > 0 || removed > 0) rewrite(kept);
        } finally {
            critical.unlock();
        }
    }

    /**
     * The right to deliver the spool, held by one process at a time; empty when another has
     * it (that one delivers what we append, or the next run does). Never waits.
     */
    public Optional<AutoCloseable> tryFlushLock() throws IOException {
        createDir();
        var ch = FileChannel.open(dir.resolve("flush.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            return Optional.empty();
        }
        return Optional.of(ch); // closing the channel releases the lock
    }

    // --- file handling ---

    private FileChannel lockData() throws IOException {
        createDir();
        var ch = FileChannel.open(dir.resolve("spool.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            ch.lock(); // released when the channel closes
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void trimIfFull(int incoming) throws IOException {
        if (!Files.exists(file)) return;
        long size = Files.size(file);
        boolean mayBeFullByCount = size >= (long) maxEntries * MIN_LINE_BYTES;
        if (size + incoming <= maxBytes && !(mayBeFullByCount && countLines() >= maxEntries)) return;

        var lines = new ArrayList<String>();
        try (var in = reader()) {
            String line;
            while ((line = in.readLine()) != null) lines.add(line);
        }
        long targetBytes = maxBytes * 9 / 10 - incoming;
        int targetEntries = Math.max(0, maxEntries * 9 / 10 - 1);
        long bytes = 0;
        for (var l : lines) bytes += l.getBytes(UTF_8).length + 1;
        int drop = 0;
        while (drop < lines.size() && (lines.size() - drop > targetEntries || bytes > targetBytes)) {
            bytes -= lines.get(drop).getBytes(UTF_8).length + 1;
            drop++;
        }
        log.warn("spool full (" + lines.size() + " entries, " + size + " bytes): dropped the " + drop + " oldest");
        rewrite(lines.subList(drop, lines.size()));
    }

    private long countLines() throws IOException {
        long n = 0;
        try (var in = Files.newInputStream(file)) {
            var buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) if (buf[i] == '\n') n++;
            }
        }
        return n;
    }

    private void rewrite(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        var tmp = dir.resolve("spool.jsonl.tmp");
        Files.deleteIfExists(tmp);
        try (var out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(
                Files.createFile(tmp, privateFile())), UTF_8))) {
            for (var l : lines) {
                out.write(l);
                out.write('\n');
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private BufferedReader reader() throws IOException {
        // InputStreamReader replaces bad UTF-8 (a line cut mid-character) instead of throwing
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), UTF_8));
    }

    private void createDir() throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            // another hook made it first
        }
    }

    private FileAttribute<?>[] privateFile() {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }
}
