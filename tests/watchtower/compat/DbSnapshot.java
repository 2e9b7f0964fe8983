package watchtower.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import watchtower.testing.Api;

/**
 * What a database holds in the reference server's columns, read straight from the file with
 * JDBC (read-only), independently of our store: the rows our API must give back unchanged,
 * and the tool-call counts and last event times the API must derive from them.
 */
record DbSnapshot(List<ObjectNode> sessions, List<ObjectNode> events, List<ObjectNode> approvals,
                  Map<String, String> settings, Map<String, Long> toolCalls, Map<String, String> lastEventAt) {

    static final List<String> SESSION_COLUMNS = List.of("id", "name", "kind", "purpose", "priority", "persona", "cwd",
            "worktree", "branch", "pid", "tmux_target", "parent_id", "state", "input_tokens", "output_tokens",
            "started_at", "ended_at");
    static final List<String> EVENT_COLUMNS = List.of("id", "session_id", "event_type", "tool_name", "command",
            "payload", "created_at");
    static final List<String> APPROVAL_COLUMNS = List.of("id", "session_id", "tool_name", "command", "request",
            "status", "decided_by", "created_at", "decided_at");

    static DbSnapshot read(Path file) throws SQLException {
        try (var c = open(file)) {
            var toolCalls = new LinkedHashMap<String, Long>();
            var lastEventAt = new LinkedHashMap<String, String>();
            try (var st = c.createStatement(); var rs = st.executeQuery("""
                    SELECT s.id,
                           (SELECT count(*) FROM events e WHERE e.session_id = s.id AND e.tool_name IS NOT NULL),
                           (SELECT max(e.created_at) FROM events e WHERE e.session_id = s.id)
                    FROM sessions s""")) {
                while (rs.next()) {
                    toolCalls.put(rs.getString(1), rs.getLong(2));
                    lastEventAt.put(rs.getString(1), rs.getString(3));
                }
            }
            var settings = new LinkedHashMap<String, String>();
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT key, value FROM settings")) {
                while (rs.next()) settings.put(rs.getString(1), rs.getString(2));
            }
            return new DbSnapshot(rows(c, "sessions", SESSION_COLUMNS, null), rows(c, "events", EVENT_COLUMNS, "payload"),
                    rows(c, "approvals", APPROVAL_COLUMNS, "request"), settings, toolCalls, lastEventAt);
        }
    }

    List<ObjectNode> eventsOf(String sessionId) {
        return events.stream().filter(e -> sessionId.equals(e.path("session_id").asText(null))).toList();
    }

    List<ObjectNode> approvalsWith(String status) {
        return approvals.stream().filter(a -> status.equals(a.path("status").asText())).toList();
    }

    Set<String> approvalStatuses() {
        var out = new LinkedHashSet<String>();
        approvals.forEach(a -> out.add(a.path("status").asText()));
        return out;
    }

    static int userVersion(Path file) throws SQLException {
        try (var c = open(file); var st = c.createStatement(); var rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }

    static Set<String> columns(Path file, String table) throws SQLException {
        var out = new LinkedHashSet<String>();
        try (var c = open(file); var st = c.createStatement(); var rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) out.add(rs.getString("name"));
        }
        return out;
    }

    private static Connection open(Path file) throws SQLException {
        var config = new SQLiteConfig();
        config.setReadOnly(true);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /** Rows ordered by id; {@code jsonColumn} (stored as text) is decoded as the API returns it. */
    private static List<ObjectNode> rows(Connection c, String table, List<String> columns, String jsonColumn)
            throws SQLException {
        var out = new ArrayList<ObjectNode>();
        try (var st = c.createStatement();
             var rs = st.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                var row = new LinkedHashMap<String, Object>();
                for (var col : columns) row.put(col, rs.getObject(col));
                ObjectNode node = Api.JSON.valueToTree(row);
                if (jsonColumn != null && node.path(jsonColumn).isTextual()) {
                    node.set(jsonColumn, decode(node.path(jsonColumn).textValue()));
                }
                out.add(node);
            }
        }
        return out;
    }

    private static JsonNode decode(String text) {
        try {
            return Api.JSON.readTree(text);
        } catch (IOException e) {
            return Api.JSON.getNodeFactory().textNode(text); // stored non-JSON stays text, as the API leaves it
        }
    }
}
