package watchtower.tokens;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a JSONL file that another process is appending to, from the byte offset it reached
 * last time, and returns only complete lines: a line still being written (no newline yet)
 * is left for the next read. Starts again from 0 when the file was truncated or replaced,
 * told apart by a shorter size, a different file key (inode), or a changed first line's
 * bytes. A missing file reads as nothing new. Not thread-safe: one owner per file.
 */
public final class TranscriptTail {
    /** How much of the file's start is remembered to notice a same-size replacement. */
    static final int PREFIX_BYTES = 256;
    private static final int CHUNK = 1 << 20;

    private final Path file;
    private long offset;
    private Object fileKey;
    private byte[] prefix = new byte[0];

    public TranscriptTail(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Bytes consumed so far (always just after a newline). */
    public long offset() {
        return offset;
    }

    public NewLines read() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return NewLines.NONE; // keep what was counted: tokens spent stay spent
        }
        if (!attrs.isRegularFile()) return NewLines.NONE;
        try (var ch = FileChannel.open(file, StandardOpenOption.READ)) {
            boolean restarted = false;
            if (offset > 0 && replaced(ch, attrs)) {
                offset = 0;
                prefix = new byte[0];
                restarted = true;
            }
            fileKey = attrs.fileKey();
            var lines = readLines(ch);
            rememberPrefix(ch);
            return new NewLines(restarted, lines);
        }
    }

    private boolean replaced(FileChannel ch, BasicFileAttributes attrs) throws IOException {
        if (ch.size() < offset) return true;
        if (fileKey != null && !Objects.equals(fileKey, attrs.fileKey())) return true;
        return !Arrays.equals(prefix, readAt(ch, 0, prefix.length));
    }

    private ArrayList<String> readLines(FileChannel ch) throws IOException {
        var lines = new ArrayList<String>();
        var line = new ByteArrayOutputStream();
        var buf = ByteBuffer.allocate(CHUNK);
        long pos = offset;
        long end = ch.size();
        while (pos < end) {
            buf.clear();
            if (end - pos < buf.capacity()) buf.limit((int) (end - pos));
            int n = ch.read(buf, pos);
            if (n <= 0) break;
            var bytes = buf.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (bytes[i] != '\n') continue;
                line.write(bytes, start, i - start);
                lines.add(toLine(line));
                line.reset();
                start = i + 1;
                offset = pos + i + 1;
            }
            line.write(bytes, start, n - start);
            pos += n;
        }
        return lines; // bytes after the last newline stay unread: offset has not moved past them
    }

    private void rememberPrefix(FileChannel ch) throws IOException {
        int want = (int) Math.min(PREFIX_BYTES, offset);
        if (prefix.length < want) prefix = readAt(ch, 0, want);
    }

    private static String toLine(ByteArrayOutputStream line) {
        var s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static byte[] readAt(FileChannel ch, long pos, int length) throws IOException {
        var buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) break;
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }
}
