package watchtower.machines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** POST/GET/DELETE /machines on a real server bound beyond loopback: enrolling, listing, revoking. */
class MachinesApiTest {
    @TempDir
    Path dir;
    TeamServer team;

    @BeforeEach
    void start() throws Exception {
        team = TeamServer.start(dir);
    }

    @AfterEach
    void stop() {
        team.close();
    }

    @Test
    void createAnswers201WithATokenStoredOnlyAsItsSha256() throws Exception {
        var r = team.admin().post("/machines", obj("name", "laptop"));
        assertEquals(201, r.status(), r.body());
        assertEquals("laptop", r.json().get("name").asText());
        var token = r.json().get("token").asText();
        assertTrue(token.matches("wtm_[A-Za-z0-9_-]{32}"), token);

        var stored = team.text("SELECT token_hash FROM machines WHERE name = ?", "laptop");
        assertEquals(MachineToken.hash(token), stored);
        assertTrue(stored.matches("[0-9a-f]{64}"), stored);
        assertEquals(0, team.count("SELECT count(*) FROM machines WHERE token_hash = ?", token), "never the token itself");
    }

    @Test
    void listShowsNamesAndTimesButNeverTokensOrHashes() throws Exception {
        var token = team.enroll("laptop");
        team.enroll("ci-runner.2");
        var r = team.admin().get("/machines");
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.json().size());
        var first = r.json().get(0);
        assertEquals("ci-runner.2", first.get("name").asText(), "sorted by name");
        assertNotNull(first.get("created_at").textValue());
        assertTrue(first.get("last_seen_at").isNull(), "never seen yet");
        assertTrue(first.get("revoked_at").isNull());
        assertFalse(r.body().contains(token), "no token in a listing");
        assertFalse(r.body().contains(MachineToken.hash(token)), "no hash in a listing");
        for (var m : r.json()) assertEquals(4, m.size(), "name, created_at, last_seen_at, revoked_at only: " + m);
    }

    @Test
    void aTakenNameIs409AndTheFirstTokenStillWorks() throws Exception {
        var token = team.enroll("laptop");
        var again = team.admin().post("/machines", obj("name", "laptop"));
        assertEquals(409, again.status());
        assertEquals("machine laptop exists", again.detail());
        assertEquals(1, team.count("SELECT count(*) FROM machines"));
        assertEquals(200, team.as(token).post("/events", obj("session_id", "s1", "event_type", "Stop")).status());
    }

    static Stream<Object[]> badBodies() {
        return Stream.of(
                new Object[] {"{\"name\":\"\"}", 422},
                new Object[] {"{\"name\":\"-leading-dash\"}", 422},
                new Object[] {"{\"name\":\"a/b\"}", 422},
                new Object[] {"{\"name\":\"two words\"}", 422},
                new Object[] {"{\"name\":\"" + "x".repeat(65) + "\"}", 422},
                new Object[] {"{\"name\":\"../etc\"}", 422},
                new Object[] {"{\"name\":5}", 422},
                new Object[] {"{}", 422},
                new Object[] {"[\"laptop\"]", 400},
                new Object[] {"{\"name\":", 400});
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badNamesAreRefusedWithADetailAndStoreNothing(String body, int status) throws Exception {
        var r = team.admin().post("/machines", body);
        assertEquals(status, r.status(), r.body());
        assertNotNull(r.detail(), r.body());
        assertEquals(0, team.count("SELECT count(*) FROM machines"));
    }

    @Test
    void aNameOf64CharactersIsAccepted() {
        assertEquals(201, team.admin().post("/machines", obj("name", "m".repeat(64))).status());
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        var r = team.admin().postRaw("/machines", "{\"name\":\"laptop\"}", "text/plain", true);
        assertEquals(415, r.status());
        assertEquals(0, team.count("SELECT count(*) FROM machines"));
    }

    @Test
    void onlyTheInstallTokenManagesMachines() throws Exception {
        var token = team.enroll("laptop");
        var machine = team.as(token);
        var create = machine.post("/machines", obj("name", "evil"));
        assertEquals(403, create.status(), create.body());
        assertTrue(create.detail().contains("machine token"), create.detail());
        assertEquals(403, machine.get("/machines").status());
        assertEquals(403, machine.delete("/machines/laptop").status());
        assertEquals(401, team.anonymous().post("/machines", obj("name", "evil")).status());
        assertEquals(401, team.anonymous().get("/machines").status());
        assertEquals(1, team.count("SELECT count(*) FROM machines WHERE revoked_at IS NULL"), "laptop is still active");
    }

    @Test
    void revokingStopsTheTokenOnTheNextRequest() throws Exception {
        var token = team.enroll("laptop");
        var machine = team.as(token);
        assertEquals(200, machine.post("/events", obj("session_id", "s1", "event_type", "PreToolUse")).status());

        var r = team.admin().delete("/machines/laptop");
        assertEquals(200, r.status(), r.body());
        assertNotNull(r.json().get("revoked_at").textValue());

        var after = machine.post("/events", obj("session_id", "s1", "event_type", "PostToolUse"));
        assertEquals(401, after.status());
        assertEquals(1, team.count("SELECT count(*) FROM events"), "nothing stored after the revocation");
        assertEquals(200, team.admin().delete("/machines/laptop").status(), "revoking again changes nothing");
        var listed = team.admin().get("/machines").json().get(0);
        assertEquals(r.json().get("revoked_at").asText(), listed.get("revoked_at").asText());
    }

    @Test
    void aRevokedNameCanBeEnrolledAgainWithANewToken() {
        var old = team.enroll("laptop");
        assertEquals(200, team.admin().delete("/machines/laptop").status());
        var fresh = team.enroll("laptop");
        assertNotEquals(old, fresh);
        assertEquals(401, team.as(old).post("/events", obj("session_id", "s1")).status());
        assertEquals(200, team.as(fresh).post("/events", obj("session_id", "s1")).status());
    }

    @Test
    void revokingAnUnknownOrInvalidNameIs404() {
        assertEquals(404, team.admin().delete("/machines/nobody").status());
        var r = team.admin().delete("/machines/%2E%2E");
        assertEquals(404, r.status());
        assertEquals("machine not found", r.detail());
    }
}
