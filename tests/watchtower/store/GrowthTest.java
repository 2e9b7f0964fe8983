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
    void retentionFindsWhereOldEventsEndByTheIdAndStillJudgesEachByItsOwnTime() throws Exception {
        try (var server = TestServer.start(dir)) {
            var now = Instant.now();
            var old = Time.format(now.minus(40, ChronoUnit.DAYS));
            var recent = Time.format(now.minus(1, ChronoUnit.DAYS));
            var retention = new Retention(server.server().store(), 30);
            var cutoff = Time.format(now.minus(30, ChronoUnit.DAYS));
            try (var c = server.jdbc()) {
                for (int i = 0; i < 10; i++) insert(c, "old-" + i, old);
                c.createStatement().execute("DELETE FROM events WHERE event_type IN ('old-3', 'old-4', 'old-5')"); // gaps
                long firstRecent = insert(c, "recent-0", recent);
                for (int i = 1; i < 5; i++) insert(c, "recent-" + i, recent);
                assertEquals(firstRecent, retention.firstIdFrom(cutoff), "the first id at or after the cut-off");
                insert(c, "stamped-old-later", old); // the clock was set back
                insert(c, "recent-5", recent);
            }
            assertEquals(0, new Retention(server.server().store(), 400).pruneOnce(now), "nothing is older than that");

            retention.pruneOnce(now);
            try (var c = server.jdbc(); var rs = c.createStatement().executeQuery("SELECT event_type FROM events ORDER BY id")) {
                var left = new java.util.ArrayList<String>();
                while (rs.next()) left.add(rs.getString(1));
                assertTrue(left.stream().noneMatch(t -> t.startsWith("old-")), "the old events before the recent ones went: " + left);
                assertEquals(java.util.stream.IntStream.range(0, 6).mapToObj(i -> "recent-" + i).toList(),
                        left.stream().filter(t -> t.startsWith("recent-")).toList(), "every recent event stayed");
            }
        }
    }

    private static long insert(java.sql.Connection c, String type, String createdAt) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("INSERT INTO events (session_id, event_type, payload, created_at) VALUES ('s', ?, '{}', ?) RETURNING id")) {
            ps.setString(1, type);
            ps.setString(2, createdAt);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
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
