import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a large history straight into a new SQLite file (one transaction, journal off for the
 * load), far faster than posting it: a database in the reference's own schema (its DDL, frozen
 * at uv-suite 0.32.0), as a long-time user of the reference would have. The reference serves it
 * as is; ours migrates it in place at its first start, as it would a user's file, so every
 * column and index it derives from events (counters, activity, the search index) is filled by
 * its own migration code rather than a copy of it here. Both servers get the same rows.
 */
final class DataSet {
    private DataSet() {}

    record Shape(String name, int sessions, int events) {
        String label() {
            return String.format("%,d sessions, %,d events", sessions, events);
        }
    }

    /** What queries need to know about the data: sessions to ask for, and how long writing it took. */
    record Info(Shape shape, List<String> sampleSessions, double seconds) {}

    static final String RARE_TERM = "needle7f3a9c";

    /** uv-suite 0.32.0 watchtower/app/db.py _SCHEMA, verbatim. */
    private static final List<String> REFERENCE_SCHEMA = List.of("""
            CREATE TABLE IF NOT EXISTS sessions (
                id text PRIMARY KEY, name text, kind text, purpose text, priority text,
                persona text, cwd text, worktree text, branch text, pid integer,
                tmux_target text, parent_id text, state text DEFAULT 'active',
                input_tokens integer, output_tokens integer,
                started_at TEXT DEFAULT CURRENT_TIMESTAMP, ended_at text)""", """
            CREATE TABLE IF NOT EXISTS events (
                id INTEGER PRIMARY KEY AUTOINCREMENT, session_id text, event_type text,
                tool_name text, command text, payload text,
                created_at TEXT DEFAULT CURRENT_TIMESTAMP)""", """
            CREATE TABLE IF NOT EXISTS approvals (
                id INTEGER PRIMARY KEY AUTOINCREMENT, session_id text, tool_name text,
                command text, request text, status text DEFAULT 'pending', decided_by text,
                created_at TEXT DEFAULT CURRENT_TIMESTAMP, decided_at text)""",
            "CREATE TABLE IF NOT EXISTS settings (key text PRIMARY KEY, value text)",
            "CREATE INDEX IF NOT EXISTS idx_events_session_created ON events (session_id, created_at)",
            "CREATE INDEX IF NOT EXISTS idx_approvals_session_status ON approvals (session_id, status)");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String[] TOOLS = {"Bash", "Read", "Edit", "Bash", "Grep", "Write"};
    private static final String[] COMMANDS = {"git status --short", "./jbang tests/RunTests.java", "ls -la src/watchtower",
        "grep -rn TODO src", "git diff --stat", "mvn -q -o test", "cat README.md", "git log --oneline -5"};
    private static final String[] KINDS = {"dev", "review", "ops", "research"};
    private static final String[] PRIORITIES = {"high", "medium", "low"};
    private static final String[] PERSONAS = {"professional", "auto", "spike", "sport"};

    /** Creates {@code db} (which must not exist) in the reference's schema and fills it. */
    static Info create(Path db, Shape shape) throws SQLException {
        long t0 = System.nanoTime();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath())) {
            try (var st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=OFF");
                st.execute("PRAGMA synchronous=OFF");
                st.execute("PRAGMA cache_size=-1000000");
                for (var ddl : REFERENCE_SCHEMA) st.execute(ddl);
            }
            c.setAutoCommit(false);
            var counters = insertEvents(c, shape);
            insertSessions(c, shape, counters);
            insertApprovals(c, shape);
            c.commit();
            c.setAutoCommit(true);
            try (var st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=DELETE"); // the reference's default, as its users' files have
            }
        }
        var random = new Random(42);
        var sample = new ArrayList<String>();
        for (int i = 0; i < 64; i++) sample.add(sessionId(random.nextInt(shape.sessions())));
        return new Info(shape, sample, (System.nanoTime() - t0) / 1e9);
    }

    static String sessionId(int i) {
        return String.format("sess-%06d", i);
    }

    /** Per session: events, first and last event index. */
    private record Counters(int[] events, int[] first, int[] last, LocalDateTime base, long spanSeconds) {
        String stamp(int eventIndex, int totalEvents) {
            return base.plusSeconds(eventIndex * spanSeconds / totalEvents).format(STAMP);
        }
    }

    private static Counters insertEvents(Connection c, Shape shape) throws SQLException {
        int sessions = shape.sessions();
        int n = shape.events();
        var counters = new Counters(new int[sessions], new int[sessions], new int[sessions],
                LocalDateTime.now(ZoneOffset.UTC).minusDays(30).withNano(0), 30L * 24 * 3600);
        java.util.Arrays.fill(counters.first(), -1);
        int concurrent = Math.min(4, sessions);
        try (var ps = c.prepareStatement("""
                INSERT INTO events (session_id, event_type, tool_name, command, payload, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            String lastStamp = null;
            long lastSecond = -1;
            for (int i = 0; i < n; i++) {
                // sessions follow one another in time, a few running side by side
                int s = Math.min(sessions - 1, (int) ((long) i * sessions / n) + i % concurrent);
                long second = i * counters.spanSeconds() / n;
                if (second != lastSecond) {
                    lastStamp = counters.base().plusSeconds(second).format(STAMP);
                    lastSecond = second;
                }
                int kind = i % 8;
                String type = switch (kind) {
                    case 0, 2, 4 -> "PreToolUse";
                    case 1, 3, 5 -> "PostToolUse";
                    case 6 -> "UserPromptSubmit";
                    default -> "Stop";
                };
                // event 10, among the oldest, alone holds the rare term: a search for it reads everything
                String tool = i == 10 ? "Bash" : kind < 6 ? TOOLS[(i / 8) % TOOLS.length] : null;
                String command = i == 10 ? "echo " + RARE_TERM
                        : "Bash".equals(tool) ? COMMANDS[(i / 3) % COMMANDS.length] : null;
                ps.setString(1, sessionId(s));
                ps.setString(2, type);
                ps.setString(3, tool);
                ps.setString(4, command);
                ps.setString(5, payload(i, sessionId(s), type, tool, command));
                ps.setString(6, lastStamp);
                ps.addBatch();
                if (i % 2000 == 1999) ps.executeBatch();
                counters.events()[s]++;
                if (counters.first()[s] < 0) counters.first()[s] = i;
                counters.last()[s] = i;
            }
            ps.executeBatch();
        }
        return counters;
    }

    private static String payload(int i, String sid, String type, String tool, String command) {
        var sb = new StringBuilder(640)
                .append("{\"session_id\":\"").append(Payloads.CLAUDE_SESSION)
                .append("\",\"transcript_path\":\"/home/user/.claude/projects/-home-user-project/")
                .append(Payloads.CLAUDE_SESSION).append(".jsonl\",\"cwd\":\"/home/user/project\",")
                .append("\"permission_mode\":\"default\",\"hook_event_name\":\"").append(type).append('"');
        if (tool != null) {
            sb.append(",\"tool_name\":\"").append(tool).append("\",\"tool_input\":{");
            if (command != null) sb.append("\"command\":\"").append(command).append("\",\"description\":\"Run it\"");
            else sb.append("\"file_path\":\"/home/user/project/src/watchtower/store/File").append(i % 97).append(".java\"");
            sb.append("},\"tool_use_id\":\"toolu_").append(Long.toHexString(i * 2654435761L)).append('"');
        } else if (type.equals("UserPromptSubmit")) {
            sb.append(",\"prompt\":\"Please make the failing test pass and explain what was wrong.\"");
        }
        return sb.append(",\"event_type\":\"").append(type).append("\",\"source_app\":\"project\",\"uvs_session_id\":\"")
                .append(sid).append("\",\"session_name\":\"agent ").append(sid)
                .append("\",\"session_kind\":\"dev\",\"persona\":\"professional\",\"git_branch\":\"main\",")
                .append("\"_hook_ts\":1764000000.5}").toString();
    }

    private static void insertSessions(Connection c, Shape shape, Counters k) throws SQLException {
        int n = shape.sessions();
        try (var ps = c.prepareStatement("""
                INSERT INTO sessions (id, name, kind, purpose, priority, persona, cwd, state, started_at, ended_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (int s = 0; s < n; s++) {
                var started = k.stamp(Math.max(0, k.first()[s]), shape.events());
                var last = k.events()[s] > 0 ? k.stamp(k.last()[s], shape.events()) : null;
                var state = s >= n - Math.max(1, n / 100) ? "active" : pendingApproval(s) ? "awaiting_human" : "terminated";
                ps.setString(1, sessionId(s));
                ps.setString(2, "agent " + s);
                ps.setString(3, KINDS[s % KINDS.length]);
                ps.setString(4, "benchmark history");
                ps.setString(5, PRIORITIES[s % PRIORITIES.length]);
                ps.setString(6, PERSONAS[s % PERSONAS.length]);
                ps.setString(7, "/home/user/project-" + (s % 40));
                ps.setString(8, state);
                ps.setString(9, started);
                ps.setString(10, state.equals("terminated") ? last : null);
                ps.addBatch();
                if (s % 2000 == 1999) ps.executeBatch();
            }
            ps.executeBatch();
        }
    }

    private static boolean pendingApproval(int s) {
        return s % 200 == 7;
    }

    /** One approval for every tenth session (decided), and a pending one for 1 in 200. */
    private static void insertApprovals(Connection c, Shape shape) throws SQLException {
        String[] decided = {"approved", "denied", "resolved", "approved", "expired"};
        try (var ps = c.prepareStatement("""
                INSERT INTO approvals (session_id, tool_name, command, request, status, decided_by, created_at, decided_at)
                VALUES (?, 'Bash', 'rm -rf build', ?, ?, ?, datetime('now', '-1 day'), ?)""")) {
            for (int s = 0; s < shape.sessions(); s++) {
                boolean pending = pendingApproval(s);
                if (!pending && s % 10 != 0) continue;
                var status = pending ? "pending" : decided[(s / 10) % decided.length];
                ps.setString(1, sessionId(s));
                ps.setString(2, "{\"hook_event_name\":\"PermissionRequest\",\"tool_name\":\"Bash\","
                        + "\"tool_input\":{\"command\":\"rm -rf build\"}}");
                ps.setString(3, status);
                ps.setString(4, pending ? null : "dashboard");
                ps.setString(5, pending ? null : "2026-01-01 00:00:00");
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
