package watchtower.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.core.Time;
import watchtower.ingest.PayloadCap;
import watchtower.testing.TestServer;

/** A database that stays small and fast: payloads are capped, old history is pruned without stalling ingest. */
class GrowthTest {
    @TempDir
    Path dir;

    @Test
    void aHugePayloadIsStoredCutAndMarkedButTheEventIsKept() throws Exception {
        try (var server = TestServer.start(dir)) {
            var big = "x".repeat(500_000);
            assertEquals(200, server.api().post("/events", obj("session_id", "s", "event_type", "PostToolUse",
                    "tool_name", "Read", "tool_response", obj("content", big))).status());
            var event = server.api().get("/sessions/s/events").json().get(0);
            assertEquals("Read", event.path("tool_name").asText());
            assertTrue(event.path("payload").path(PayloadCap.MARK).asBoolean(), "marked as truncated");
            var content = event.path("payload").path("tool_response").path("content").asText();
            assertTrue(content.length() < 10_000 && content.contains("more characters cut"), content.substring(0, 80));
            try (var c = server.jdbc();
                 var rs = c.createStatement().executeQuery("SELECT length(payload) FROM events")) {
                rs.next();
                assertTrue(rs.getInt(1) <= PayloadCap.MAX_PAYLOAD_CHARS, "stored " + rs.getInt(1));
            }
        }
    }

    @Test
    void aPayloadOfManyBigFieldsKeepsItsIdentifyingFields() throws Exception {
        try (var server = TestServer.start(dir)) {
            var fields = obj("session_id", "s", "event_type", "PostToolUse", "tool_name", "Bash");
            for (int i = 0; i < 40; i++) fields.put("f" + i, "y".repeat(7_000));
            assertEquals(200, server.api().post("/events", fields).status());
            var payload = server.api().get("/sessions/s/events").json().get(0).path("payload");
            assertEquals("Bash", payload.path("tool_name").asText());
            assertTrue(payload.path(PayloadCap.MARK).asBoolean());
        }
    }

    @Test
    void retentionPrunesOldHistoryInBatchesWhileIngestGoesOn() throws Exception {
        try (var server = TestServer.start(dir)) {
            var old = Time.format(Instant.now().minus(40, ChronoUnit.DAYS));
            try (var c = server.jdbc()) {
                c.setAutoCommit(false);
                try (var ps = c.prepareStatement("INSERT INTO events (session_id, event_type, payload, created_at) VALUES ('old', 'Stop', '{}', ?)")) {
                    for (int i = 0; i < Retention.BATCH * 3 + 17; i++) {
                        ps.setString(1, old);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.createStatement().execute("INSERT INTO sessions (id, state, ended_at) VALUES ('old', 'terminated', '" + old + "')");
                c.createStatement().execute("INSERT INTO approvals (session_id, status, created_at) VALUES ('old', 'approved', '" + old + "')");
                c.commit();
            }
            server.api().post("/events", obj("session_id", "new", "event_type", "Stop"));

            var retention = new Retention(server.server().store(), 30);
            var pruning = CompletableFuture.supplyAsync(() -> retention.pruneOnce(Instant.now()));
            for (int i = 0; i < 20; i++) {
                assertEquals(200, server.api().post("/events", obj("session_id", "new", "event_type", "PreToolUse")).status());
            }
            assertEquals(Retention.BATCH * 3 + 17, pruning.get(30, TimeUnit.SECONDS));

            assertEquals(21, server.api().get("/events?limit=1000").json().size(), "recent events kept");
            assertEquals(404, server.api().get("/sessions/old").status(), "the old terminated session went with its events");
            assertEquals(0, server.api().get("/approvals?status=all").json().size());
        }
    }
}
