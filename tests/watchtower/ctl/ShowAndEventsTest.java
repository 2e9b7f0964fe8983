package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import org.junit.jupiter.api.Test;
import watchtower.testing.Api;

class ShowAndEventsTest extends RealServerFixture {
    @Test
    void showFindsASessionByUniquePrefix() {
        post(obj("session_id", "3f2a9c1e0b7d", "session_name", "parser", "cwd", "/src/p", "event_type", "PreToolUse",
                "tool_name", "Bash", "command", "make"));
        var r = Ctl.run(env, "show", "3f2a");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("id:         3f2a9c1e0b7d"), r.out());
        assertTrue(r.out().contains("name:       parser"), r.out());
        assertTrue(r.out().contains("cwd:        /src/p"), r.out());
        assertTrue(r.out().contains("1 tool calls, 1 events"), r.out());
        assertTrue(r.out().contains("cost:       ?"), r.out());
    }

    @Test
    void showJsonIsTheServersSessionUnchanged() throws Exception {
        post(obj("session_id", "3f2a9c1e0b7d", "event_type", "SessionStart"));
        var r = Ctl.run(env, "show", "3f2a9c1e0b7d", "--json");
        assertEquals(0, r.code());
        assertEquals(Api.JSON.readTree(server.api().get("/sessions/3f2a9c1e0b7d").body()), Api.JSON.readTree(r.out()));
    }

    @Test
    void unknownSessionIsRefusedWithTheServersDetail() {
        var r = Ctl.run(env, "show", "nosuchsession");
        assertEquals(1, r.code());
        assertEquals("wtctl: session not found\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void ambiguousPrefixIsRefusedNamingTheCandidates() {
        post(obj("session_id", "abc111", "event_type", "SessionStart"));
        post(obj("session_id", "abc222", "event_type", "SessionStart"));
        var r = Ctl.run(env, "show", "abc");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("'abc' matches 2 sessions") && r.err().contains("abc111") && r.err().contains("abc222"), r.err());
    }

    @Test
    void invalidSessionIdIsAUsageErrorAndNeverSent() {
        var r = Ctl.run(env, "show", "../etc");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a session id"), r.err());
    }

    @Test
    void eventsAreOldestFirstAndLimited() {
        for (int i = 1; i <= 5; i++) {
            post(obj("session_id", "s1", "event_type", "PreToolUse", "tool_name", "Bash", "command", "step " + i));
        }
        post(obj("session_id", "other", "event_type", "PreToolUse", "command", "not mine"));
        var r = Ctl.run(env, "events", "s1", "-n", "3");
        assertEquals(0, r.code(), r.toString());
        var lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).endsWith("step 3") && lines.get(2).endsWith("step 5"), r.out());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  PreToolUse +Bash +step 3"), lines.get(0));
    }

    @Test
    void eventsJsonIsTheServersListUnchanged() throws Exception {
        post(obj("session_id", "s1", "event_type", "UserPromptSubmit", "prompt", "hello"));
        var r = Ctl.run(env, "events", "s1", "--json");
        assertEquals(0, r.code());
        assertEquals(Api.JSON.readTree(server.api().get("/sessions/s1/events?limit=20").body()), Api.JSON.readTree(r.out()));
    }

    @Test
    void eventsShowThePromptWhenThereIsNoCommand() {
        post(obj("session_id", "s1", "event_type", "UserPromptSubmit", "prompt", "fix the tests"));
        var r = Ctl.run(env, "events", "s1");
        assertTrue(r.out().strip().endsWith("UserPromptSubmit    -           fix the tests"), r.out());
    }

    @Test
    void eventLimitOutOfRangeIsAUsageError() {
        assertEquals(2, Ctl.run(env, "events", "s1", "-n", "0").code());
        assertEquals(2, Ctl.run(env, "events", "s1", "-n", "1001").code());
        assertEquals(2, Ctl.run(env, "events", "s1", "-n", "many").code());
    }

    private void post(java.util.Map<String, Object> event) {
        assertEquals(200, server.api().post("/events", event).status());
    }
}
