package watchtower.tokens;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptTailTest {
    @TempDir
    Path dir;

    @Test
    void onlyCompleteLinesAreReturnedAndAHalfLineWaits() throws Exception {
        var f = dir.resolve("t.jsonl");
        var tail = new TranscriptTail(f);
        append(f, "{\"a\":1}\n{\"b\":");
        assertEquals(new NewLines(false, List.of("{\"a\":1}")), tail.read());
        assertEquals(NewLines.NONE, tail.read(), "the half line is not returned");
        append(f, "2}\n");
        assertEquals(new NewLines(false, List.of("{\"b\":2}")), tail.read());
        assertEquals(Files.size(f), tail.offset());
    }

    @Test
    void multibyteCharactersSplitAcrossAppendsSurvive() throws Exception {
        var f = dir.resolve("t.jsonl");
        var tail = new TranscriptTail(f);
        var bytes = "{\"s\":\"日本\"}\n".getBytes(UTF_8);
        Files.write(f, java.util.Arrays.copyOf(bytes, 8)); // cuts 日 in the middle
        assertEquals(NewLines.NONE, tail.read());
        Files.write(f, java.util.Arrays.copyOfRange(bytes, 8, bytes.length), StandardOpenOption.APPEND);
        assertEquals(List.of("{\"s\":\"日本\"}"), tail.read().lines());
    }

    @Test
    void crlfAndBlankLinesAreHandled() throws Exception {
        var f = dir.resolve("t.jsonl");
        append(f, "{\"a\":1}\r\n\n{\"b\":2}\n");
        assertEquals(List.of("{\"a\":1}", "", "{\"b\":2}"), new TranscriptTail(f).read().lines());
    }

    @Test
    void truncationRestartsFromTheStart() throws Exception {
        var f = dir.resolve("t.jsonl");
        var tail = new TranscriptTail(f);
        append(f, "{\"a\":1}\n{\"b\":2}\n");
        tail.read();
        Files.writeString(f, "{\"c\":3}\n", UTF_8); // shorter: truncated and rewritten
        assertEquals(new NewLines(true, List.of("{\"c\":3}")), tail.read());
    }

    @Test
    void replacementByAnotherFileRestarts() throws Exception {
        var f = dir.resolve("t.jsonl");
        var tail = new TranscriptTail(f);
        append(f, "{\"a\":1}\n");
        tail.read();
        var other = Files.writeString(dir.resolve("new.jsonl"), "{\"x\":1}\n{\"y\":2}\n", UTF_8);
        Files.move(other, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(new NewLines(true, List.of("{\"x\":1}", "{\"y\":2}")), tail.read());
    }

    @Test
    void sameInodeRewrittenLongerWithOtherContentRestarts() throws Exception {
        var f = dir.resolve("t.jsonl");
        var tail = new TranscriptTail(f);
        append(f, "{\"a\":1}\n");
        tail.read();
        Files.writeString(f, "{\"z\":9}\n{\"q\":8}\n", UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        var again = tail.read();
        assertTrue(again.restarted());
        assertEquals(List.of("{\"z\":9}", "{\"q\":8}"), again.lines());
    }

    @Test
    void aMissingFileReadsAsNothingNew() throws Exception {
        var f = dir.resolve("t.jsonl");
        var tail = new TranscriptTail(f);
        assertEquals(NewLines.NONE, tail.read());
        append(f, "{\"a\":1}\n");
        assertEquals(1, tail.read().lines().size());
        Files.delete(f);
        assertEquals(NewLines.NONE, tail.read());
        assertFalse(tail.read().restarted());
    }

    @Test
    void largeFilesAreReadAcrossChunks() throws Exception {
        var f = dir.resolve("t.jsonl");
        var line = "{\"pad\":\"" + "x".repeat(5000) + "\"}";
        var sb = new StringBuilder();
        for (int i = 0; i < 500; i++) sb.append(line).append('\n'); // ~2.5 MB: several 1 MiB chunks
        Files.writeString(f, sb.toString(), UTF_8);
        var lines = new TranscriptTail(f).read().lines();
        assertEquals(500, lines.size());
        assertTrue(lines.stream().allMatch(line::equals));
    }

    private static void append(Path f, String s) throws Exception {
        Files.writeString(f, s, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
