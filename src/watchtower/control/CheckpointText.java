package watchtower.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import watchtower.http.Json;

/**
 * The checkpoint's markdown, laid out as the reference writes it: front matter, "# Checkpoint",
 * "## Session" (the metadata that is set), "## What was done" (the user's asks, files changed
 * with counts, tool usage) and "## Git state". One deliberate difference: a tool call is counted
 * once, from its PreToolUse, where the reference also counted the PermissionRequest and
 * PostToolUse of the same call (events without any PreToolUse are counted as it did).
 */
final class CheckpointText {
    private static final Set<String> EDIT_TOOLS = Set.of("Edit", "Write", "MultiEdit");

    private CheckpointText() {}

    /** {@code events} newest first, as stored; {@code created} an ISO-8601 instant. */
    static String render(Map<String, Object> session, List<Map<String, Object>> events, String gitState, String created) {
        var sid = (String) session.get("id");
        var name = text(session, "name");
        var meta = new ArrayList<String>();
        row(meta, "Name", session.get("name"));
        row(meta, "Kind", session.get("kind"));
        row(meta, "Purpose", session.get("purpose"));
        row(meta, "Priority", session.get("priority"));
        row(meta, "Persona", session.get("persona"));
        row(meta, "Parent", session.get("parent_id"));
        row(meta, "Started", session.get("started_at"));
        row(meta, "cwd", session.get("cwd"));
        return "---\n"
                + "session: " + sid + "\n"
                + "name: " + frontMatter(name) + "\n"
                + "kind: " + frontMatter(text(session, "kind")) + "\n"
                + "priority: " + frontMatter(text(session, "priority")) + "\n"
                + "parent: " + frontMatter(text(session, "parent_id")) + "\n"
                + "created: " + created + "\n"
                + "source: watchtower\n"
                + "---\n\n"
                + "# Checkpoint: " + (name.isEmpty() ? sid : oneLine(name)) + "\n\n"
                + "## Session\n\n"
                + String.join("\n", meta) + "\n\n"
                + "## What was done\n\n"
                + summarize(events) + "\n\n"
                + "## Git state\n\n"
                + gitState + "\n";
    }

    /** The asks (chronological, the last 12), files edited, tool breakdown; or the reference's placeholder. */
    static String summarize(List<Map<String, Object>> newestFirst) {
        var prompts = new ArrayList<String>();
        var files = new LinkedHashMap<String, Integer>();
        var tools = new LinkedHashMap<String, Integer>();
        boolean hasPreToolUse = newestFirst.stream().anyMatch(e -> "PreToolUse".equals(e.get("event_type")));
        for (var e : newestFirst) {
            var p = payload(e.get("payload"));
            var type = e.get("event_type");
            if ("UserPromptSubmit".equals(type)) {
                var txt = firstText(p, "prompt", "user_prompt").strip();
                if (!txt.isEmpty()) prompts.add(truncate(String.join(" ", txt.split("\\s+")), 240));
            }
            if (hasPreToolUse && !"PreToolUse".equals(type)) continue;
            var tool = e.get("tool_name") instanceof String t && !t.isEmpty() ? t : p.path("tool_name").asText("");
            if (tool.isEmpty()) continue;
            tools.merge(tool, 1, Integer::sum);
            var fp = p.path("tool_input").path("file_path").asText("");
            if (!fp.isEmpty() && EDIT_TOOLS.contains(tool)) files.merge(fp, 1, Integer::sum);
        }
        var parts = new ArrayList<String>();
        if (!prompts.isEmpty()) {
            var recent = new ArrayList<>(prompts.subList(0, Math.min(12, prompts.size())));
            Collections.reverse(recent);
            parts.add("**Asked (" + prompts.size() + "):**\n"
                    + recent.stream().map(t -> "- " + t).collect(Collectors.joining("\n")));
        }
        if (!files.isEmpty()) {
            parts.add("**Files changed:**\n" + mostCommon(files, 15).stream()
                    .map(f -> "- `" + f.getKey() + "` (" + f.getValue() + "×)").collect(Collectors.joining("\n")));
        }
        if (!tools.isEmpty()) {
            parts.add("**Tool usage:** " + mostCommon(tools, 10).stream()
                    .map(t -> t.getValue() + "× " + t.getKey()).collect(Collectors.joining(", ")));
        }
        return parts.isEmpty() ? "_No recorded activity yet._" : String.join("\n\n", parts);
    }

    /** Highest count first; ties keep first-seen order (Python's Counter.most_common). */
    private static List<Map.Entry<String, Integer>> mostCommon(Map<String, Integer> counts, int n) {
        var entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> Integer.compare(b.getValue(), a.getValue())); // stable
        return entries.subList(0, Math.min(n, entries.size()));
    }

    private static JsonNode payload(Object raw) {
        if (raw instanceof String s) {
            try {
                var node = Json.MAPPER.readTree(s);
                if (node != null && node.isObject()) return node;
            } catch (IOException e) {
                // an unparsable payload counts as empty, as in the reference
            }
        }
        return Json.MAPPER.createObjectNode();
    }

    private static String firstText(JsonNode p, String... names) {
        for (var n : names) {
            var v = p.path(n);
            if (v.isTextual() && !v.textValue().isEmpty()) return v.textValue();
        }
        return "";
    }

    private static void row(List<String> meta, String label, Object value) {
        if (value == null) return;
        var s = value.toString();
        if (!s.isEmpty()) meta.add("- **" + label + ":** " + oneLine(s));
    }

    private static String text(Map<String, Object> session, String column) {
        return session.get(column) instanceof String s ? s : "";
    }

    /** A value on one line, so a name cannot add front-matter keys or headings. */
    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    private static String frontMatter(String s) {
        return oneLine(s);
    }

    private static String truncate(String s, int codePoints) {
        if (s.codePointCount(0, s.length()) <= codePoints) return s;
        return s.substring(0, s.offsetByCodePoints(0, codePoints));
    }
}
