package watchtower.websocket;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up check: quiet with the --add-opens the runner passes, one clear sentence without it. */
class RawStreamsTest {
    @Test
    void noProblemWhenTheInternalsAreOpened() {
        assertEquals("reachable", RawStreams.problem().orElse("reachable"));
    }

    @Test
    void aJvmWithoutAddOpensIsToldWhichOptionIsMissing() throws Exception {
        assertEquals("reachable", probe(List.of(RawStreams.ADD_OPENS.split(" "))));
        var problem = probe(List.of());
        assertTrue(problem.contains("--add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED"), problem);
    }

    // --- infra ---

    /** Runs RawStreamsProbe in a fresh JVM on our class path with the given extra options. */
    private static String probe(List<String> jvmOptions) throws Exception {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RawStreamsProbe.class.getName()));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "probe JVM finished");
            return new String(process.getInputStream().readAllBytes(), UTF_8).trim();
        } finally {
            process.destroyForcibly();
        }
    }
}
