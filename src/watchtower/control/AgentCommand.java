package watchtower.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import watchtower.http.Json;

/**
 * The argument list that starts an agent in a new tmux session. Claude Code gets the persona's
 * settings as the reference launcher passes them ({@code --settings <cwd>/.claude/personas/<p>.json}
 * when that file exists) and {@code --permission-mode manual} unless those settings choose a
 * mode themselves: version 2.1.330 defaults to auto mode, whose prompts fire no PermissionRequest
 * and cannot be answered with "1". Codex gets the reference launcher's flags per persona. The
 * task is one final argument, never text for a shell.
 */
final class AgentCommand {
    static final Set<String> TOOLS = Set.of("claude", "codex");
    static final Set<String> PERSONAS = Set.of("auto", "professional", "spike", "sport");

    private static final Map<String, List<String>> CODEX_FLAGS = Map.of(
            "spike", List.of("--model", "o3", "--approval-mode", "suggest"),
            "sport", List.of("--approval-mode", "auto-edit"),
            "professional", List.of("--approval-mode", "suggest"),
            "auto", List.of("--approval-mode", "full-auto"));

    private AgentCommand() {}

    static List<String> argv(String tool, Path program, String persona, Path cwd, String task) {
        if (!PERSONAS.contains(persona)) throw new IllegalArgumentException("unknown persona " + persona);
        var argv = new ArrayList<String>();
        argv.add(program.toString());
        if (tool.equals("codex")) {
            argv.addAll(CODEX_FLAGS.get(persona));
        } else {
            var settings = cwd.resolve(".claude").resolve("personas").resolve(persona + ".json");
            boolean hasSettings = Files.isRegularFile(settings);
            if (hasSettings) {
                argv.add("--settings");
                argv.add(settings.toString());
            }
            if (!hasSettings || !choosesPermissionMode(settings)) {
                argv.add("--permission-mode");
                argv.add("manual");
            }
        }
        if (task != null && !task.isEmpty()) argv.add(task);
        return argv;
    }

    private static boolean choosesPermissionMode(Path settings) {
        try {
            if (Files.size(settings) > 1024 * 1024) return false;
            return Json.MAPPER.readTree(settings.toFile()).path("permissions").path("defaultMode").isTextual();
        } catch (IOException e) {
            return false; // unreadable settings: Claude Code will complain itself; we still ask for manual mode
        }
    }
}
