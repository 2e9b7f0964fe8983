package watchtower.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.control.ControlOptions;
import watchtower.control.LocalMachine;
import watchtower.core.Config;
import watchtower.core.DbTarget;
import watchtower.ctl.AgentLoop;
import watchtower.testing.Api;
import watchtower.testing.Eventually;
import watchtower.testing.TestDb;
import watchtower.testing.TestServer;

/**
 * Team mode behind one URL: a machine's `wtctl agent` polls instance A, a person acts on B, and
 * the command travels B → A (PostgreSQL LISTEN/NOTIFY) → agent → A → B. Runs in the PostgreSQL pass.
 */
class AgentThroughAnotherInstanceTest {
    @TempDir
    Path dir;
    final AgentTmux remote = new AgentTmux();
    final List<String> agentLog = Collections.synchronizedList(new ArrayList<>());
    DbTarget.Postgres database;
    TestServer a;
    TestServer b;
    AgentLoop agent;
    Thread agentThread;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(TestDb.isPostgres(), "needs PostgreSQL: runs in the PostgreSQL pass");
        database = TestDb.createDatabase();
        a = TestServer.start(Config.forTests(dir).withDb(database));
        b = TestServer.start(Config.forTests(dir).withDb(database));
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.stop();
            agent.awaitFinished(Duration.ofSeconds(5));
            agentThread.join(5_000);
        }
        if (a != null) a.close();
        if (b != null) b.close();
        remote.close();
        if (database != null) TestDb.dropDatabase(database);
    }

    @Test
    void bothInstancesSeeTheMachineOnlineAndInputOnOneReachesTheAgentPollingTheOther() throws Exception {
        var token = b.api().post("/machines", obj("name", "m1")).json().path("token").asText();
        var onA = new Api(a.url(), token);
        remote.start("uvs_r1", dir.resolve("r1"), AgentTmux.LINES, "ready");
        assertEquals(200, onA.post("/sessions/register", obj("id", "r1", "tmux", "uvs_r1",
                "cwd", dir.resolve("r1").toString())).status());

        var options = new ControlOptions(remote.socket, Optional.empty(), Optional.empty(),
                Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin"), Optional.empty(), Optional.empty(),
                false, dir);
        agent = new AgentLoop(a.url(), token, LocalMachine.create(options, a.url(), token), agentLog::add);
        agentThread = new Thread(agent, "test-agent");
        agentThread.start();
        Eventually.until("the agent polling A", () -> a.api().get("/sessions/r1").json(),
                row -> row.path("machine_online").asBoolean(false));

        Eventually.until("B to learn that the agent polls A", Duration.ofSeconds(15),
                () -> b.api().get("/sessions/r1").json(), row -> row.path("machine_online").asBoolean(false));

        var reply = b.api().post("/sessions/r1/input", obj("text", "typed on B"));
        assertEquals(200, reply.status(), reply.body());
        remote.awaitPane("uvs_r1", "typed on B");
        assertEquals(List.of("typed on B"), Eventually.until("the typed line", () -> lines(dir.resolve("r1")), l -> !l.isEmpty()));
        assertTrue(agentLog.stream().anyMatch(l -> l.startsWith("type r1 -> ok")), String.join("\n", agentLog));
    }

    private static List<String> lines(Path sessionDir) {
        try {
            var file = sessionDir.resolve("lines");
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
