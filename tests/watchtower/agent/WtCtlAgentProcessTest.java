package watchtower.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.Eventually;
import watchtower.testing.ServerProcess;
import watchtower.testing.TestServer;

/** The real `wtctl agent` process, as a person starts it on the agent's machine, then stops it with SIGTERM. */
class WtCtlAgentProcessTest {
    @TempDir
    Path dir;
    final AgentTmux remote = new AgentTmux();
    TestServer server;
    Process agent;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir.resolve("server"));
    }

    @AfterEach
    void stop() {
        if (agent != null) agent.destroyForcibly();
        server.close();
        remote.close();
    }

    @Test
    void theAgentProcessTypesIntoItsMachinesPaneAndStopsCleanlyOnSigterm() throws Exception {
        var token = server.api().post("/machines", obj("name", "m1")).json().path("token").asText();
        remote.start("uvs_p1", dir.resolve("p1"), AgentTmux.LINES, "ready");
        assertEquals(200, new Api(server.url(), token).post("/sessions/register",
                obj("id", "p1", "tmux", "uvs_p1", "cwd", dir.resolve("p1").toString())).status());

        var cmd = new ArrayList<>(ServerProcess.javaCommand("WtCtl"));
        cmd.addAll(java.util.List.of("agent", "--url", server.url()));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile());
        pb.environment().put("UVS_TOKEN", token); // the token comes from the environment, as the README says
        pb.environment().put("WATCHTOWER_TMUX_SOCKET", remote.socket);
        agent = pb.start();
        Eventually.until("the agent process polling", () -> server.api().get("/sessions/p1").json(),
                row -> row.path("machine_online").asBoolean(false));

        var reply = server.api().post("/sessions/p1/input", obj("text", "from the agent process"));
        assertEquals(200, reply.status(), reply.body());
        remote.awaitPane("uvs_p1", "from the agent process");

        agent.destroy(); // SIGTERM, as Ctrl-C or a service manager would
        assertTrue(agent.waitFor(10, TimeUnit.SECONDS), "the agent stops within 10 s: " + log());
        assertTrue(log().contains("type p1 -> ok"), log());
    }

    private String log() throws IOException {
        var file = dir.resolve("agent.log");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
