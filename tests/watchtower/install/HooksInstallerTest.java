package watchtower.install;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging Watchtower's hooks into real settings files: kept, idempotent, refused, reversible. */
class HooksInstallerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String URL = "http://127.0.0.1:4200";

    @TempDir
    Path dir;

    /** A settings file a person wrote: their own hooks (one with a matcher, one catch-all) and other keys. */
    static final String USERS_OWN = """
            {
              "model": "opus",
              "permissions": {"allow": ["Bash(ls *)"], "defaultMode": "default"},
              "hooks": {
                "PreToolUse": [
                  {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/bin/guard.sh", "timeout": 3}]}
                ],
                "Stop": [
                  {"hooks": [{"type": "command", "command": "notify-send done"}]}
                ],
                "WorktreeCreate": [
                  {"hooks": [{"type": "command", "command": "~/bin/mkworktree.sh"}]}
                ]
              },
              "env": {"FOO": "bar"}
            }
            """;

    @Test
    void installAddsOurHooksForEveryEventAndKeepsEverythingElse() throws Exception {
        var file = write("settings.json", USERS_OWN);
        var original = Files.readAllBytes(file);

        var result = HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL, Optional.empty());

        assertTrue(result.changed());
        assertEquals(ClaudeEvents.HOOKED.size(), result.added(), "one hook per event in http mode");
        assertEquals(3, result.userHooks());
        var root = read(file);
        assertEquals("opus", root.path("model").asText());
        assertEquals("bar", root.path("env").path("FOO").asText());
        assertEquals(JSON.readTree(USERS_OWN).path("permissions"), root.path("permissions"));
        // the person's hooks are where they were, untouched
        assertEquals(JSON.readTree(USERS_OWN).path("hooks").path("PreToolUse").get(0), root.path("hooks").path("PreToolUse").get(0));
        assertEquals(JSON.readTree(USERS_OWN).path("hooks").path("Stop").get(0), root.path("hooks").path("Stop").get(0));
        assertEquals(JSON.readTree(USERS_OWN).path("hooks").path("WorktreeCreate"), root.path("hooks").path("WorktreeCreate"),
                "WorktreeCreate replaces worktree creation: never hooked by us");
        for (var event : ClaudeEvents.HOOKED) {
            var ours = ourHooks(root, event);
            assertEquals(1, ours.size(), event);
            var hook = ours.get(0);
            if (ClaudeEvents.COMMAND_ONLY.contains(event)) {
                assertEquals("command", hook.path("type").asText(), event + ": the client ignores http hooks here");
                assertTrue(hook.path("command").asText().contains(URL + "/hooks/claude"), hook.toString());
            } else {
                assertEquals("http", hook.path("type").asText(), event);
                assertEquals(URL + "/hooks/claude", hook.path("url").asText());
                assertEquals("$UVS_TOKEN", hook.path("headers").path("X-UVS-Token").asText());
                assertEquals(event.equals("PermissionRequest") ? 600 : 5, hook.path("timeout").asInt(), event);
            }
        }
        assertFalse(Files.readString(file).contains("token\": \"") , "no token value is written");
        var backup = result.backup().orElseThrow();
        assertTrue(backup.getFileName().toString().matches("settings\\.json\\.bak-\\d{8}-\\d{6}"), backup.toString());
        assertArrayEquals(original, Files.readAllBytes(backup), "the backup is the file as it was");
    }

    @Test
    void installingTwiceChangesNothing() throws Exception {
        var file = write("settings.json", USERS_OWN);
        HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL, Optional.empty());
        var after = Files.readAllBytes(file);
        var modified = Files.getLastModifiedTime(file);
        var backups = backups();

        var again = HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL + "/", Optional.empty());

        assertFalse(again.changed(), again.summary());
        assertTrue(again.summary().contains("nothing changed"), again.summary());
        assertTrue(again.backup().isEmpty());
        assertArrayEquals(after, Files.readAllBytes(file));
        assertEquals(modified, Files.getLastModifiedTime(file), "not even rewritten");
        assertEquals(backups, backups(), "no backup when nothing is written");
    }

    @Test
    void reinstallingForAnotherServerReplacesOurHooksInPlace() throws Exception {
        var file = write("settings.json", USERS_OWN);
        HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL, Optional.empty());
        // the person adds a hook after ours: a reinstall must not move ours behind it
        var root = read(file);
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.path("hooks").path("PostToolUse"))
                .addObject().putArray("hooks").addObject().put("type", "command").put("command", "echo mine");
        Files.writeString(file, SettingsFile.toClaudeJson(root));

        var result = HooksInstaller.install(file, HooksInstaller.Mode.HTTP, "http://127.0.0.1:4311", Optional.empty());

        assertTrue(result.changed());
        var post = read(file).path("hooks").path("PostToolUse");
        assertEquals(2, post.size());
        assertEquals("http://127.0.0.1:4311/hooks/claude", post.get(0).path("hooks").get(0).path("url").asText());
        assertEquals("echo mine", post.get(1).path("hooks").get(0).path("command").asText());
        assertFalse(Files.readString(file).contains("127.0.0.1:4200"), "no hook left pointing at the old server");
    }

    @Test
    void anInvalidFileIsRefusedAndLeftAsItWas() throws Exception {
        var file = write("settings.json", "{\n  \"hooks\": {\n    \"Stop\": [ }\n}\n");
        var before = Files.readAllBytes(file);

        var e = assertThrows(InstallException.class,
                () -> HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL, Optional.empty()));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON at line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(), backups(), "refused before any write, so no backup either");
        assertTrue(HooksInstaller.status(file).problem().isPresent(), "status reports it instead of throwing");
        assertThrows(InstallException.class, () -> HooksInstaller.uninstall(file));
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void aFileOfTheWrongShapeIsRefused() throws Exception {
        for (var text : List.of("[1, 2]", "{\"hooks\": \"none\"}", "{\"hooks\": {\"Stop\": {}}}",
                "{\"hooks\": {\"Stop\": [{\"hooks\": 3}]}}", "{\"a\": 1} trailing", "{\"a\": 1, \"a\": 2}")) {
            var file = write("shape.json", text);
            var e = assertThrows(InstallException.class,
                    () -> HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL, Optional.empty()), text);
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertEquals(text, Files.readString(file), "left as it was: " + text);
        }
        var notAFile = Files.createDirectories(dir.resolve("dir.json"));
        assertThrows(InstallException.class,
                () -> HooksInstaller.install(notAFile, HooksInstaller.Mode.HTTP, URL, Optional.empty()));
    }

    @Test
    void uninstallRemovesExactlyWhatInstallAdded() throws Exception {
        var file = write("settings.json", USERS_OWN);
        HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL, Optional.empty());

        var result = HooksInstaller.uninstall(file);

        assertTrue(result.changed());
        assertEquals(ClaudeEvents.HOOKED.size(), result.removed());
        assertEquals(JSON.readTree(USERS_OWN), read(file), "back to the person's own file");
        var again = HooksInstaller.uninstall(file);
        assertFalse(again.changed(), "nothing left to remove");
    }

    @Test
    void uninstallLeavesNoEmptyHooksBehindInAFileThatHadNone() throws Exception {
        var file = write("settings.json", "{\"theme\": \"dark\"}");
        HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL, Optional.empty());
        HooksInstaller.uninstall(file);
        assertEquals(JSON.readTree("{\"theme\": \"dark\"}"), read(file));
    }

    @Test
    void aMissingFileIsCreatedWithItsFolder() throws Exception {
        var project = Files.createDirectories(dir.resolve("project"));
        var file = HooksInstaller.projectSettings(project);
        assertEquals(project.resolve(".claude/settings.local.json"), file, "never the committed settings.json");

        var result = HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL, Optional.empty());

        assertTrue(result.changed());
        assertTrue(result.backup().isEmpty(), "nothing to back up");
        assertEquals(ClaudeEvents.HOOKED.size(), read(file).path("hooks").size());
        assertTrue(Files.readString(file).startsWith("{\n  \"hooks\": {\n    \"SessionStart\": [\n"),
                "Claude Code's own two-space layout");
        assertThrows(InstallException.class, () -> HooksInstaller.projectSettings(dir.resolve("no-such-project")));
        assertEquals(dir.resolve(".claude/settings.json"), HooksInstaller.userSettings(dir));
    }

    @Test
    void commandModeRunsWtHookWithAbsolutePaths() throws Exception {
        var file = write("settings.local.json", USERS_OWN);
        var jar = Files.createFile(dir.resolve("WtHook.jar"));
        var cmd = new WtHookCommand(Path.of("/usr/lib/jvm/java 17/bin/java"), jar.toString(), Optional.of(dir.resolve("uvs")));

        var result = HooksInstaller.install(file, HooksInstaller.Mode.COMMAND, "http://127.0.0.1:4301", Optional.of(cmd));

        assertTrue(result.changed());
        var root = read(file);
        for (var event : ClaudeEvents.HOOKED) {
            var ours = ourHooks(root, event);
            var send = ours.get(0).path("command").asText();
            assertEquals("UVS_WATCHTOWER_URL=http://127.0.0.1:4301 UVS_HOME=" + dir.resolve("uvs")
                    + " '/usr/lib/jvm/java 17/bin/java' -cp " + jar + " WtHook send " + event, send);
            for (var hook : ours) assertEquals("command", hook.path("type").asText());
        }
        assertEquals(List.of("send", "notify"), subcommands(ourHooks(root, "PermissionRequest")));
        assertEquals(List.of("send", "notify"), subcommands(ourHooks(root, "Notification")));
        assertEquals(List.of("send", "tokens"), subcommands(ourHooks(root, "Stop")));
        assertEquals(List.of("send", "tokens", "end"), subcommands(ourHooks(root, "SessionEnd")));
        var status = HooksInstaller.status(file);
        assertEquals(Optional.of(HooksInstaller.Mode.COMMAND), status.mode());
        assertEquals(List.of("http://127.0.0.1:4301"), status.servers());

        // relative paths would depend on the folder Claude Code runs the hook from
        assertThrows(InstallException.class, () -> new WtHookCommand(Path.of("java"), jar.toString(), Optional.empty()));
        assertThrows(InstallException.class, () -> new WtHookCommand(Path.of("/bin/java"), "lib/WtHook.jar", Optional.empty()));
        assertThrows(InstallException.class,
                () -> HooksInstaller.install(file, HooksInstaller.Mode.COMMAND, URL, Optional.empty()));
    }

    @Test
    void switchingModeReplacesEveryOneOfOurHooks() throws Exception {
        var file = write("settings.json", USERS_OWN);
        HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL, Optional.empty());
        var cmd = new WtHookCommand(Path.of("/bin/java"), Files.createFile(dir.resolve("a.jar")).toString(), Optional.empty());

        HooksInstaller.install(file, HooksInstaller.Mode.COMMAND, URL, Optional.of(cmd));

        var text = Files.readString(file);
        assertFalse(text.contains("\"type\": \"http\""), "no http hook left");
        assertFalse(text.contains("curl"), "no curl hook left");
        assertEquals(Optional.of(HooksInstaller.Mode.COMMAND), HooksInstaller.status(file).mode());
        HooksInstaller.uninstall(file);
        assertEquals(JSON.readTree(USERS_OWN), read(file));
    }

    @Test
    void statusSaysWhatIsInstalledWhere() throws Exception {
        var missing = HooksInstaller.status(dir.resolve("none.json"));
        assertFalse(missing.exists());
        assertFalse(missing.installed());

        var file = write("settings.json", """
                {"disableAllHooks": true, "hooks": {"Stop": [{"hooks": [
                  {"type": "command", "command": "\\"$CLAUDE_PROJECT_DIR\\"/.claude/hooks/watchtower-tokens.sh"}]}]}}""");
        var before = HooksInstaller.status(file);
        assertFalse(before.installed());
        assertEquals(1, before.referenceHooks());

        HooksInstaller.install(file, HooksInstaller.Mode.HTTP, URL, Optional.empty());
        var root = read(file);
        ((ObjectNode) root.path("hooks")).remove("Notification");
        Files.writeString(file, SettingsFile.toClaudeJson(root));

        var status = HooksInstaller.status(file);
        assertEquals(Optional.of(HooksInstaller.Mode.HTTP), status.mode());
        assertEquals(List.of(URL), status.servers());
        assertEquals(List.of("Notification"), status.missingEvents());
        assertEquals(1, status.userHooks());
        assertTrue(status.hooksDisabled());
        var summary = status.summary();
        assertTrue(summary.contains("http hooks → " + URL + " for 31 of 32 events (missing: Notification)"), summary);
        assertTrue(summary.contains("reference watchtower-*.sh"), summary);
        assertTrue(summary.contains("disableAllHooks"), summary);
    }

    @Test
    void aSymlinkedSettingsFileIsWrittenThroughItsLink() throws Exception {
        var real = write("dotfiles-settings.json", USERS_OWN);
        var link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("home/.claude")).resolve("settings.json"), real);

        HooksInstaller.install(link, HooksInstaller.Mode.HTTP, URL, Optional.empty());

        assertTrue(Files.isSymbolicLink(link), "the link survives");
        assertEquals(ClaudeEvents.HOOKED.size(), HooksInstaller.status(real).hookedEvents().size());
    }

    @Test
    void badServerUrlsAreRefused() {
        for (var bad : List.of("", "localhost:4200", "ftp://host", "http://127.0.0.1:4200/?x=1", "http://a b",
                "http://127.0.0.1:4200/$(reboot)", "http://h'x")) {
            assertThrows(InstallException.class, () -> HookSpec.http(bad), bad);
        }
        assertEquals("http://127.0.0.1:4200", HookSpec.http("http://127.0.0.1:4200/hooks/claude/").serverUrl());
    }

    // --- infra ---

    Path write(String name, String text) throws IOException {
        var file = dir.resolve(name);
        Files.writeString(file, text, UTF_8);
        return file;
    }

    static ObjectNode read(Path file) throws IOException {
        return (ObjectNode) JSON.readTree(Files.readString(file));
    }

    List<Path> backups() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".bak-")).sorted().toList();
        }
    }

    static List<JsonNode> ourHooks(JsonNode root, String event) {
        var out = new ArrayList<JsonNode>();
        for (var group : root.path("hooks").path(event)) {
            for (var hook : group.path("hooks")) if (OurHooks.isOurs(hook)) out.add(hook);
        }
        return out;
    }

    static List<String> subcommands(List<JsonNode> hooks) {
        return hooks.stream().map(h -> {
            var words = h.path("command").asText().split(" ");
            int i = List.of(words).indexOf("WtHook");
            return words[i + 1];
        }).toList();
    }
}
