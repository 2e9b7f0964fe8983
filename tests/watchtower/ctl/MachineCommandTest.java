package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import org.junit.jupiter.api.Test;
import watchtower.testing.Api;

/** `wtctl machine add|ls|rm` against a real server. */
class MachineCommandTest extends RealServerFixture {
    @Test
    void addPrintsTheTwoLinesToSetAndTheTokenWorksForIngest() {
        var r = Ctl.run(env, "machine", "add", "laptop", "--server-url", "http://10.0.0.5:4200/");
        assertEquals(0, r.code(), r.toString());
        var lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertEquals("UVS_WATCHTOWER_URL=http://10.0.0.5:4200", lines.get(0));
        assertTrue(lines.get(1).matches("UVS_TOKEN=wtm_[A-Za-z0-9_-]{32}"), lines.get(1));
        assertTrue(r.err().contains("shown only this once"), r.err());
        assertFalse(r.err().contains("loopback"), r.err());

        var token = lines.get(1).substring("UVS_TOKEN=".length());
        var machine = new Api(server.url(), token);
        assertEquals(200, machine.post("/events", obj("session_id", "lap-1", "event_type", "SessionStart")).status());
        assertEquals("laptop", server.api().get("/sessions/lap-1").json().get("machine").asText());
    }

    @Test
    void addWithALoopbackUrlSaysTheMachineNeedsAnotherAddress() {
        var r = Ctl.run(env, "machine", "add", "laptop");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("UVS_WATCHTOWER_URL=" + server.url() + "\n"), r.out());
        assertTrue(r.err().contains("loopback") && r.err().contains("--server-url"), r.err());
    }

    @Test
    void addJsonIsTheServersAnswer() throws Exception {
        var r = Ctl.run(env, "machine", "add", "laptop", "--json");
        assertEquals(0, r.code(), r.toString());
        var json = Api.JSON.readTree(r.out());
        assertEquals("laptop", json.get("name").asText());
        assertTrue(json.get("token").asText().startsWith("wtm_"));
    }

    @Test
    void addingATakenNameFailsWithTheServersDetail() {
        assertEquals(0, Ctl.run(env, "machine", "add", "laptop").code());
        var r = Ctl.run(env, "machine", "add", "laptop");
        assertEquals(CtlError.REFUSED, r.code(), r.toString());
        assertEquals("wtctl: machine laptop exists\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void addingABadNameFailsWithTheServersDetail() {
        var r = Ctl.run(env, "machine", "add", "no/slashes");
        assertEquals(CtlError.REFUSED, r.code(), r.toString());
        assertTrue(r.err().startsWith("wtctl: machine name must be"), r.err());
        assertEquals("[]", server.api().get("/machines").body().strip());
    }

    @Test
    void lsListsMachinesAndRmRevokesOne() {
        Ctl.run(env, "machine", "add", "laptop");
        Ctl.run(env, "machine", "add", "desktop");
        var ls = Ctl.run(env, "machine", "ls");
        assertEquals(0, ls.code(), ls.toString());
        var lines = ls.out().lines().toList();
        assertTrue(lines.get(0).matches("NAME\\s+STATUS\\s+LAST SEEN\\s+ADDED"), lines.get(0));
        assertTrue(lines.get(1).matches("desktop\\s+active\\s+never\\s+\\d+s"), lines.get(1));
        assertTrue(lines.get(2).startsWith("laptop "), lines.get(2));

        var rm = Ctl.run(env, "machine", "rm", "laptop");
        assertEquals(0, rm.code(), rm.toString());
        assertEquals("revoked laptop; its token no longer works\n", rm.out());
        assertTrue(Ctl.run(env, "machine", "ls").out().lines().anyMatch(l -> l.matches("laptop\\s+revoked\\s.*")));
    }

    @Test
    void lsJsonIsTheServersList() throws Exception {
        Ctl.run(env, "machine", "add", "laptop");
        var r = Ctl.run(env, "machine", "ls", "--json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(Api.JSON.readTree(server.api().get("/machines").body()), Api.JSON.readTree(r.out()));
    }

    @Test
    void lsWithNoMachinesSaysHowToAddOne() {
        var r = Ctl.run(env, "machine", "ls");
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().contains("wtctl machine add NAME"), r.err());
    }

    @Test
    void rmOfAnUnknownMachineFails() {
        var r = Ctl.run(env, "machine", "rm", "nobody");
        assertEquals(CtlError.REFUSED, r.code(), r.toString());
        assertEquals("wtctl: machine not found\n", r.err());
    }

    @Test
    void rmAtATerminalAsksAndNoKeepsTheMachine() {
        Ctl.run(env, "machine", "add", "laptop");
        var r = Ctl.run(Ctl.interactive(env, "n\n"), "machine", "rm", "laptop");
        assertEquals(CtlError.REFUSED, r.code(), r.toString());
        assertTrue(r.err().contains("Revoke machine laptop?"), r.err());
        assertTrue(server.api().get("/machines").json().get(0).get("revoked_at").isNull(), "still active");
    }

    @Test
    void aMissingNameIsAUsageError() {
        var r = Ctl.run(env, "machine", "add");
        assertEquals(CtlError.USAGE, r.code(), r.toString());
    }

    @Test
    void anUnreachableServerExits3() throws Exception {
        var down = Ctl.env(dir, "http://127.0.0.1:" + Ctl.closedPort(), dir.resolve("uvs"));
        var r = Ctl.run(down, "machine", "ls");
        assertEquals(CtlError.UNREACHABLE, r.code(), r.toString());
    }
}
