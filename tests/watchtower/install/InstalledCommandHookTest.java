package watchtower.install;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/**
 * The command lines the installer writes, run the way Claude Code runs them (sh -c, the
 * payload on stdin, from another folder), reach a real server: quoting, the URL and data
 * folder on the command line, and the token read from the data folder all hold.
 */
class InstalledCommandHookTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir.resolve("server"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theInstalledSendCommandDeliversTheEvent() throws Exception {
        var file = dir.resolve("settings.local.json");
        var cmd = WtHookCommand.of(System.getProperty("java.class.path"), Optional.of(server.server().config().dataDir()));
        HooksInstaller.install(file, HooksInstaller.Mode.COMMAND, server.url(), Optional.of(cmd));
        var command = HooksInstallerTest.ourHooks(HooksInstallerTest.read(file), "PreToolUse").get(0).path("command").asText();

        var payload = "{\"session_id\":\"cc-1\",\"hook_event_name\":\"PreToolUse\",\"cwd\":\"/tmp/p q\","
                + "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"echo 'hi there'\"}}";
        var run = run(command, payload, "wt-cmd-1");

        assertEquals(0, run, "a hook always exits 0");
        var events = eventually(() -> server.api().get("/sessions/wt-cmd-1/events"), r -> r.status() == 200 && r.json().size() == 1);
        var event = events.get(0);
        assertEquals("PreToolUse", event.path("event_type").asText());
        assertEquals("echo 'hi there'", event.path("payload").path("tool_input").path("command").asText());
        assertEquals("cc-1", event.path("payload").path("session_id").asText());
    }

    // --- infra ---

    int run(String command, String stdin, String session) throws Exception {
        var pb = new ProcessBuilder(List.of("/bin/sh", "-c", command)).directory(Files.createDirectories(dir.resolve("elsewhere")).toFile())
                .redirectErrorStream(true);
        pb.environment().put("UVS_SESSION_ID", session);
        pb.environment().remove("UVS_WATCHTOWER_URL");
        pb.environment().remove("UVS_HOME");
        var p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(UTF_8));
        }
        var out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "hook did not finish");
        assertEquals("", out, "a hook prints nothing Claude Code could misread");
        return p.exitValue();
    }

    static JsonNode eventually(java.util.function.Supplier<Api.Reply> call, java.util.function.Predicate<Api.Reply> ok)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Api.Reply last = null;
        while (System.nanoTime() < end) {
            last = call.get();
            if (ok.test(last)) return last.json();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("condition not met in 10 s; last reply: " + (last == null ? null : last.body()));
    }
}
