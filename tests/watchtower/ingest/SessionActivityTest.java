package watchtower.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.core.Time;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/**
 * A session's activity time, which orders the session list: every event moves it to the event's
 * second. (An event in the second the session was last active leaves the column, and its index,
 * untouched: SessionsStore's UPSERT_EVENT_SAME_SECOND.)
 */
class SessionActivityTest {
    @TempDir
    Path dir;
    TestServer server;
    Api api;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        api = server.api();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anEventInALaterSecondMovesItsSessionToTheTopOfTheList() {
        post("wt-a", "PreToolUse");
        post("wt-b", "PreToolUse");
        var bActive = session("wt-b").path("activity_at").asText();
        waitForASecondAfter(bActive);

        post("wt-a", "PostToolUse");
        var a = session("wt-a");
        assertEquals(a.path("last_event_at").asText(), a.path("activity_at").asText(), "activity is the latest event's second");
        assertTrue(a.path("activity_at").asText().compareTo(bActive) > 0, "later than wt-b's: " + a);
        assertEquals("wt-a", api.get("/sessions").json().get(0).path("id").asText(), "the session just active comes first");
        assertEquals(bActive, session("wt-b").path("activity_at").asText(), "the other session keeps its time");
    }

    @Test
    void eventsInOneSecondStillCountAndStampTheSession() {
        for (int i = 0; i < 20; i++) post("wt-c", i % 2 == 0 ? "PreToolUse" : "PostToolUse");
        var c = session("wt-c");
        assertEquals(20, c.path("event_count").asInt());
        assertEquals(10, c.path("tool_calls").asInt(), "the PreToolUse events carry a tool name");
        assertEquals(c.path("last_event_at").asText(), c.path("activity_at").asText());
    }

    private void post(String session, String type) {
        var reply = api.post("/events", obj("uvs_session_id", session, "event_type", type,
                "tool_name", type.equals("PreToolUse") ? "Bash" : null));
        assertEquals(200, reply.status(), reply.body());
    }

    private JsonNode session(String id) {
        var reply = api.get("/sessions/" + id);
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    /** Times are to the second: waits until the clock has moved past {@code at}. */
    private static void waitForASecondAfter(String at) {
        while (Time.now().compareTo(at) <= 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
}
