package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import org.junit.jupiter.api.Test;

/** tail and events -f against the real server's /live (WebSocket): what is posted shows up. */
class LiveServerTest extends RealServerFixture {
    @Test
    void tailShowsPostedEventsAndApprovals() throws Exception {
        try (var tail = new Background(env, "tail")) {
            tail.awaitErr("following " + server.url());
            post(obj("session_id", "live0001abcd", "event_type", "PreToolUse", "tool_name", "Bash", "command", "make test"));
            tail.awaitOut("make test");
            assertEquals(200, server.api().post("/approvals", obj("session_id", "live0001abcd", "tool_name", "Bash",
                    "command", "rm -rf build")).status());
            tail.awaitOut("pending");
            server.close();
            assertEquals(3, tail.awaitExit());
            assertTrue(tail.out.toString().lines().anyMatch(l -> l.matches(
                    "\\d\\d:\\d\\d:\\d\\d  live0001  PreToolUse +Bash +make test")), tail.out.toString());
        }
    }

    @Test
    void eventsFollowShowsOnlyThatSessionsNewEvents() throws Exception {
        post(obj("session_id", "live0001abcd", "event_type", "UserPromptSubmit", "prompt", "first"));
        try (var follow = new Background(env, "events", "live0001", "-f")) {
            follow.awaitErr("following live0001abcd");
            post(obj("session_id", "other0000000", "event_type", "PreToolUse", "command", "not mine"));
            post(obj("session_id", "live0001abcd", "event_type", "PreToolUse", "tool_name", "Bash", "command", "second"));
            follow.awaitOut("second");
            server.close();
            follow.awaitExit();
            var out = follow.out.toString();
            assertTrue(out.indexOf("first") < out.indexOf("second") && !out.contains("not mine"), out);
        }
    }

    private void post(java.util.Map<String, Object> event) {
        assertEquals(200, server.api().post("/events", event).status());
    }
}
