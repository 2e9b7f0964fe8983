package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import org.junit.jupiter.api.Test;
import watchtower.testing.Api;

class StatusCommandTest extends RealServerFixture {
    @Test
    void lsListsLiveSessionsWithTheirPendingApproval() {
        event("aaaa1111bbbb", "refactor parser", "PreToolUse", "Bash");
        event("cccc2222dddd", "docs", "PreToolUse", "Edit");
        var approval = server.api().post("/approvals", obj("session_id", "cccc2222dddd", "tool_name", "Bash", "command", "rm -rf x"));
        assertEquals(200, approval.status());
        long approvalId = approval.json().path("id").asLong();

        var r = Ctl.run(env, "ls");
        assertEquals(0, r.code(), r.toString());
        var lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.toString());
        assertTrue(lines.get(0).startsWith("ID        NAME"), r.toString());
        var docs = lines.stream().filter(l -> l.startsWith("cccc2222")).findFirst().orElseThrow();
        assertTrue(docs.contains("awaiting_human (permission_prompt)"), docs);
        assertTrue(docs.endsWith("  " + approvalId), docs);
        var parser = lines.stream().filter(l -> l.startsWith("aaaa1111")).findFirst().orElseThrow();
        assertTrue(parser.contains("refactor parser") && parser.endsWith("-"), parser);
        assertTrue(parser.contains("  ?  "), "unknown cost shows '?': " + parser);
    }

    @Test
    void terminatedSessionsOnlyWithAll() {
        event("aaaa1111bbbb", "live one", "PreToolUse", "Bash");
        event("eeee3333ffff", "ended one", "SessionStart", null);
        assertEquals(200, server.api().post("/sessions/eeee3333ffff/state", obj("state", "terminated")).status());

        var live = Ctl.run(env, "ls");
        assertEquals(0, live.code());
        assertTrue(live.out().contains("live one"));
        assertFalse(live.out().contains("ended one"), live.out());

        var all = Ctl.run(env, "status", "--all");
        assertEquals(0, all.code());
        assertTrue(all.out().contains("ended one") && all.out().contains("terminated"), all.out());

        var onlyEnded = Ctl.run(env, "ls", "--state", "terminated");
        assertTrue(onlyEnded.out().contains("ended one") && !onlyEnded.out().contains("live one"), onlyEnded.out());
    }

    @Test
    void jsonIsTheServersListUnchanged() throws Exception {
        event("aaaa1111bbbb", "one", "PreToolUse", "Bash");
        var r = Ctl.run(env, "ls", "--json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(Api.JSON.readTree(server.api().get("/sessions?limit=1000").body()), Api.JSON.readTree(r.out()));
        assertEquals("", r.err());
    }

    @Test
    void noSessionsIsNotAnError() {
        var r = Ctl.run(env, "ls");
        assertEquals(0, r.code());
        assertEquals("", r.out(), "nothing on stdout for scripts");
        assertTrue(r.err().contains("No sessions running"), r.err());
    }

    @Test
    void urlOptionBeatsTheEnvironmentInEitherPosition() throws Exception {
        event("aaaa1111bbbb", "one", "PreToolUse", "Bash");
        var elsewhere = Ctl.withVars(env, java.util.Map.of("UVS_WATCHTOWER_URL", "http://127.0.0.1:" + Ctl.closedPort()));
        assertEquals(3, Ctl.run(elsewhere, "ls").code());
        assertEquals(0, Ctl.run(elsewhere, "ls", "--url", server.url()).code());
        assertEquals(0, Ctl.run(elsewhere, "--url", server.url(), "ls").code());
    }

    private void event(String sid, String name, String type, String tool) {
        var body = obj("session_id", sid, "session_name", name, "event_type", type);
        if (tool != null) body.put("tool_name", tool);
        assertEquals(200, server.api().post("/events", body).status());
    }
}
