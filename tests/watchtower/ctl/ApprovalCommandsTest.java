package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import org.junit.jupiter.api.Test;
import watchtower.testing.Api;

class ApprovalCommandsTest extends RealServerFixture {
    @Test
    void approvalsListsPendingPrompts() {
        long id = pending("sess0001aaaa", "Bash", "rm -rf build");
        var r = Ctl.run(env, "approvals");
        assertEquals(0, r.code(), r.toString());
        var lines = r.out().lines().toList();
        assertEquals("ID  SESSION   STATUS   AGE  TOOL  COMMAND", lines.get(0));
        assertTrue(lines.get(1).matches(" *" + id + "  sess0001  pending +\\d+s  Bash  rm -rf build"), lines.get(1));
    }

    @Test
    void approveByIdDecidesOnTheServer() {
        long id = pending("sess0001aaaa", "Bash", "make");
        var r = Ctl.run(env, "approve", Long.toString(id));
        assertEquals(0, r.code(), r.toString());
        assertEquals("approved " + id + "\n", r.out());
        var row = server.api().get("/approvals?status=all").json().get(0);
        assertEquals("approved", row.path("status").asText());
        assertEquals("wtctl", row.path("decided_by").asText());
    }

    @Test
    void approvingTwiceIsRefusedWithTheServersDetail() {
        long id = pending("sess0001aaaa", "Bash", "make");
        assertEquals(0, Ctl.run(env, "approve", "#" + id).code());
        var again = Ctl.run(env, "approve", Long.toString(id));
        assertEquals(1, again.code());
        assertEquals("wtctl: approval " + id + " is already approved\n", again.err());
    }

    @Test
    void approveBySessionPrefixFindsItsPendingApproval() {
        pending("other0000000", "Edit", null);
        long id = pending("sess0001aaaa", "Bash", "make");
        var r = Ctl.run(env, "approve", "--session", "sess0001");
        assertEquals(0, r.code(), r.toString());
        assertEquals("approved " + id + "\n", r.out());
        assertEquals("pending", statusOf(server.api(), "other0000000"));
    }

    @Test
    void sessionWithoutPendingApprovalIsRefused() {
        assertEquals(200, server.api().post("/events", obj("session_id", "idle0001", "event_type", "Stop")).status());
        var r = Ctl.run(env, "approve", "--session", "idle0001");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("wtctl: session idle0001 has no pending approval"), r.err());
    }

    @Test
    void denySendsTheMessageAndRecordsDenied() {
        long id = pending("sess0001aaaa", "Bash", "git push --force");
        var r = Ctl.run(env, "deny", Long.toString(id), "--message", "not on main");
        assertEquals(0, r.code(), r.toString());
        assertEquals("denied " + id + "\n", r.out());
        assertEquals("denied", statusOf(server.api(), "sess0001aaaa"));
    }

    @Test
    void unknownApprovalIsRefused() {
        var r = Ctl.run(env, "approve", "999");
        assertEquals(1, r.code());
        assertEquals("wtctl: approval not found\n", r.err());
    }

    @Test
    void approveNeedsExactlyOneOfIdAndSession() {
        assertEquals(2, Ctl.run(env, "approve").code());
        var both = Ctl.run(env, "approve", "3", "--session", "abc");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("one of them"), both.err());
        assertEquals(2, Ctl.run(env, "approve", "abc").code());
        assertEquals(2, Ctl.run(env, "approve", "0").code());
        assertEquals(2, Ctl.run(env, "approvals", "--status", "maybe").code());
    }

    @Test
    void approvalsJsonIsTheServersListUnchanged() throws Exception {
        pending("sess0001aaaa", "Bash", "make");
        var r = Ctl.run(env, "approvals", "--status", "all", "--json");
        assertEquals(0, r.code());
        assertEquals(Api.JSON.readTree(server.api().get("/approvals?status=all").body()), Api.JSON.readTree(r.out()));
    }

    private long pending(String sid, String tool, String command) {
        assertEquals(200, server.api().post("/events", obj("session_id", sid, "event_type", "PreToolUse", "tool_name", tool)).status());
        var body = obj("session_id", sid, "tool_name", tool);
        if (command != null) body.put("command", command);
        var r = server.api().post("/approvals", body);
        assertEquals(200, r.status(), r.body());
        return r.json().path("id").asLong();
    }

    private static String statusOf(Api api, String sid) {
        for (var a : api.get("/approvals?status=all").json()) {
            if (a.path("session_id").asText().equals(sid)) return a.path("status").asText();
        }
        throw new AssertionError("no approval for " + sid);
    }
}
