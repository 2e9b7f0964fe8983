package watchtower.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts Watchtower's hooks into a Claude Code settings file, and takes them out again,
 * without touching anything else in it: the person's own hooks, matchers and keys stay as
 * they were. Our entries are found by what they are (see {@link OurHooks}), so installing
 * twice changes nothing, switching mode or server replaces them in place, and uninstall
 * removes exactly them. A file that cannot be parsed is refused; before any write the old
 * file is copied to {@code <name>.bak-<yyyyMMdd-HHmmss>}. What wtctl's {@code hooks install |
 * uninstall | status} call.
 */
public final class HooksInstaller {
    /** The kind of hook to install. */
    public enum Mode {
        /** Claude Code POSTs to /hooks/claude itself: no process per event (the personas' way). */
        HTTP("http"),
        /** Claude Code runs WtHook per event: spools while the server is down (Codex, remote, no http hooks). */
        COMMAND("command");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Mode parse(String raw) {
            for (var m : values()) if (m.label.equals(raw.trim().toLowerCase(Locale.ROOT))) return m;
            throw new InstallException("unknown hook mode '" + raw + "' (use http or command)");
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern CURL_URL = Pattern.compile("https?://[^\\s'\"]+?" + Pattern.quote(HookSpec.HOOK_PATH));
    private static final Pattern WTHOOK_URL = Pattern.compile("UVS_WATCHTOWER_URL=('[^']*'|\\S+)");

    private HooksInstaller() {}

    /** {@code --project DIR}: the project's own, uncommitted settings (never the shared settings.json). */
    public static Path projectSettings(Path projectDir) {
        if (!Files.isDirectory(projectDir)) throw new InstallException("no such project folder: " + projectDir);
        return projectDir.toAbsolutePath().normalize().resolve(".claude").resolve("settings.local.json");
    }

    /** {@code --user}: every project of this user. */
    public static Path userSettings(Path home) {
        return home.toAbsolutePath().normalize().resolve(".claude").resolve("settings.json");
    }

    /** Installs hooks of {@code mode} pointing at {@code serverUrl}; COMMAND mode needs {@code command}. */
    public static InstallResult install(Path settingsFile, Mode mode, String serverUrl, Optional<WtHookCommand> command) {
        var spec = switch (mode) {
            case HTTP -> HookSpec.http(serverUrl);
            case COMMAND -> HookSpec.command(serverUrl, command.orElseThrow(() -> new InstallException(
                    "command hooks need the WtHook classpath (from `jbang info classpath WtHook.java`)")));
        };
        return install(settingsFile, spec);
    }

    public static InstallResult install(Path settingsFile, HookSpec spec) {
        var file = SettingsFile.read(settingsFile);
        var updated = file.copy();
        var counts = merge(updated, spec.hooksByEvent());
        var where = spec.mode() == Mode.HTTP ? spec.hookUrl() : spec.serverUrl();
        if (updated.equals(file.root()) && file.exists()) {
            return new InstallResult(settingsFile, false, counts.added(), 0, counts.userHooks(), Optional.empty(),
                    "Watchtower " + spec.mode().label() + " hooks are already in " + settingsFile + " (→ " + where
                            + "); nothing changed.");
        }
        var backup = file.write(updated);
        var verb = counts.removed() > 0 ? "Updated" : "Installed";
        var summary = new StringBuilder(verb + " Watchtower " + spec.mode().label() + " hooks for "
                + ClaudeEvents.HOOKED.size() + " events in " + settingsFile + " (→ " + where + ")");
        if (counts.userHooks() > 0) summary.append("; kept ").append(counts.userHooks()).append(" hook(s) of your own");
        backup.ifPresent(b -> summary.append("; backup: ").append(b));
        summary.append('.');
        if (spec.mode() == Mode.HTTP) {
            summary.append("\nClaude Code sends the install token from $UVS_TOKEN: start claude with it set"
                    + " (export UVS_TOKEN=\"$(cat ~/.uvs/token)\"), or allow tokenless ingest.");
        }
        return new InstallResult(settingsFile, true, counts.added(), counts.removed(), counts.userHooks(), backup,
                summary.toString());
    }

    /** Removes our hooks (and the lists and groups that held only them); everything else stays. */
    public static InstallResult uninstall(Path settingsFile) {
        var file = SettingsFile.read(settingsFile);
        var updated = file.copy();
        var counts = merge(updated, Map.of());
        if (counts.removed() == 0) {
            return new InstallResult(settingsFile, false, 0, 0, counts.userHooks(), Optional.empty(),
                    "No Watchtower hooks in " + settingsFile + "; nothing changed.");
        }
        var backup = file.write(updated);
        return new InstallResult(settingsFile, true, 0, counts.removed(), counts.userHooks(), backup,
                "Removed " + counts.removed() + " Watchtower hook(s) from " + settingsFile
                        + (counts.userHooks() > 0 ? "; kept " + counts.userHooks() + " hook(s) of your own" : "")
                        + backup.map(b -> "; backup: " + b).orElse("") + ".");
    }

    /** What is installed in one file; a file that cannot be read is reported, not thrown. */
    public static HooksStatus status(Path settingsFile) {
        SettingsFile file;
        try {
            file = SettingsFile.read(settingsFile);
        } catch (InstallException e) {
            return new HooksStatus(settingsFile, true, Optional.of(e.getMessage()), Optional.empty(), List.of(),
                    List.of(), ClaudeEvents.HOOKED, 0, 0, false);
        }
        var modes = new LinkedHashSet<Mode>();
        var servers = new LinkedHashSet<String>();
        var hooked = new LinkedHashSet<String>();
        int user = 0;
        int reference = 0;
        for (var event : eventNames(file.root())) {
            for (var group : file.root().path("hooks").path(event)) {
                for (var hook : group.path("hooks")) {
                    if (!OurHooks.isOurs(hook)) {
                        user++;
                        if (OurHooks.isReferenceBashHook(hook)) reference++;
                        continue;
                    }
                    hooked.add(event);
                    describe(hook, modes, servers);
                }
            }
        }
        var missing = new ArrayList<String>();
        for (var e : ClaudeEvents.HOOKED) if (!hooked.contains(e)) missing.add(e);
        var mode = modes.size() == 1 ? Optional.of(modes.iterator().next()) : Optional.<Mode>empty();
        return new HooksStatus(settingsFile, file.exists(), Optional.empty(), mode, List.copyOf(servers),
                List.copyOf(hooked), hooked.isEmpty() ? List.of() : List.copyOf(missing), user, reference,
                file.root().path("disableAllHooks").asBoolean(false));
    }

    /**
     * Points our hooks in {@code settings} at {@code serverUrl} (a persona copy for a server
     * that is not on the default port); returns how many hooks it rewrote.
     */
    public static int pointAt(ObjectNode settings, String serverUrl) {
        var base = HookSpec.checkServerUrl(serverUrl);
        int n = 0;
        for (var event : eventNames(settings)) {
            for (var group : settings.path("hooks").path(event)) {
                for (var hook : group.path("hooks")) {
                    if (!OurHooks.isOurs(hook)) continue;
                    var h = (ObjectNode) hook;
                    if (h.path("type").asText().equals("http")) {
                        h.put("url", base + HookSpec.HOOK_PATH);
                    } else {
                        var cmd = h.path("command").asText();
                        cmd = CURL_URL.matcher(cmd).replaceAll(Matcher.quoteReplacement(base + HookSpec.HOOK_PATH));
                        cmd = WTHOOK_URL.matcher(cmd).replaceAll(Matcher.quoteReplacement("UVS_WATCHTOWER_URL=" + Shell.quote(base)));
                        h.put("command", cmd);
                    }
                    n++;
                }
            }
        }
        return n;
    }

    /** A persona file's text with its hooks pointed at {@code serverUrl}, for {@code claude --settings}. */
    public static String personaFor(Path personaFile, String serverUrl) {
        var settings = SettingsFile.read(personaFile).copy();
        if (pointAt(settings, serverUrl) == 0) throw new InstallException(personaFile + " holds no Watchtower hooks");
        return SettingsFile.toClaudeJson(settings) + "\n";
    }

    // --- the merge ---

    private record Counts(int added, int removed, int userHooks) {}

    /**
     * Makes {@code root.hooks} hold exactly {@code desired} of ours per event. Our hooks already
     * in a catch-all group (no matcher, "" or "*") are replaced in place, so a reinstall moves
     * nothing; ours elsewhere are dropped; a group or event list left empty by that goes.
     */
    private static Counts merge(ObjectNode root, Map<String, List<ObjectNode>> desired) {
        var existing = root.get("hooks");
        if ((existing == null || existing.isNull()) && desired.isEmpty()) return new Counts(0, 0, 0);
        var hooks = existing instanceof ObjectNode o ? o : NODES.objectNode();
        int added = 0;
        int removed = 0;
        int user = 0;
        for (var event : List.copyOf(eventNames(root))) {
            var want = desired.getOrDefault(event, List.of());
            var groups = (ArrayNode) hooks.get(event);
            var newGroups = NODES.arrayNode();
            boolean placed = false;
            for (var g : groups) {
                var group = (ObjectNode) g;
                var inner = group.get("hooks");
                if (inner == null || !hasOurs(inner)) {
                    if (inner != null) user += inner.size();
                    newGroups.add(group);
                    continue;
                }
                var kept = NODES.arrayNode();
                for (var hook : inner) {
                    if (!OurHooks.isOurs(hook)) {
                        kept.add(hook);
                        user++;
                        continue;
                    }
                    removed++;
                    if (!placed && !want.isEmpty() && catchAll(group)) {
                        want.forEach(kept::add); // where the first of ours was
                        added += want.size();
                        placed = true;
                    }
                }
                if (kept.isEmpty()) continue; // the group held only ours
                group.set("hooks", kept);
                newGroups.add(group);
            }
            if (!placed && !want.isEmpty()) {
                newGroups.add(group(want));
                added += want.size();
            }
            if (newGroups.isEmpty()) hooks.remove(event);
            else hooks.set(event, newGroups);
        }
        for (var e : desired.entrySet()) {
            if (hooks.has(e.getKey()) || e.getValue().isEmpty()) continue;
            hooks.set(e.getKey(), NODES.arrayNode().add(group(e.getValue())));
            added += e.getValue().size();
        }
        if (hooks.isEmpty() && removed > 0) root.remove("hooks");
        else if (!hooks.isEmpty() && existing != hooks) root.set("hooks", hooks);
        return new Counts(added, removed, user);
    }

    private static ObjectNode group(List<ObjectNode> hooks) {
        var g = NODES.objectNode();
        var list = g.putArray("hooks");
        hooks.forEach(h -> list.add(h.deepCopy()));
        return g;
    }

    private static boolean hasOurs(JsonNode inner) {
        for (var h : inner) if (OurHooks.isOurs(h)) return true;
        return false;
    }

    private static boolean catchAll(ObjectNode group) {
        var m = group.get("matcher");
        return m == null || m.isNull() || m.asText().isEmpty() || m.asText().equals("*");
    }

    private static List<String> eventNames(ObjectNode root) {
        var names = new ArrayList<String>();
        var hooks = root.get("hooks");
        if (hooks != null && hooks.isObject()) hooks.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void describe(JsonNode hook, java.util.Set<Mode> modes, java.util.Set<String> servers) {
        if (hook.path("type").asText().equals("http")) {
            modes.add(Mode.HTTP);
            OurHooks.serverOf(hook.path("url").asText()).ifPresent(servers::add);
            return;
        }
        var cmd = hook.path("command").asText();
        var curl = CURL_URL.matcher(cmd);
        if (curl.find()) {
            modes.add(Mode.HTTP);
            servers.add(curl.group().substring(0, curl.group().length() - HookSpec.HOOK_PATH.length()));
            return;
        }
        modes.add(Mode.COMMAND);
        var url = WTHOOK_URL.matcher(cmd);
        servers.add(url.find() ? url.group(1).replace("'", "") : "$UVS_WATCHTOWER_URL or http://localhost:4200");
    }
}
