package watchtower.install;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What Watchtower hooks one settings file holds.
 *
 * @param exists          the file is there
 * @param problem         why the file cannot be read or used, when it cannot
 * @param mode            HTTP or COMMAND when our hooks are all of one kind (SessionStart/Setup's
 *                        curl counts as HTTP); empty when there are none or both kinds
 * @param servers         the server URLs our hooks point at (more than one is a mistake)
 * @param hookedEvents    events with at least one of our hooks
 * @param missingEvents   events of {@link ClaudeEvents#HOOKED} with none
 * @param userHooks       hook entries that are not ours
 * @param referenceHooks  the reference's watchtower-*.sh hooks, which send to Watchtower too
 * @param hooksDisabled   "disableAllHooks": true is set in this file
 */
public record HooksStatus(Path file, boolean exists, Optional<String> problem, Optional<HooksInstaller.Mode> mode,
                          List<String> servers, List<String> hookedEvents, List<String> missingEvents,
                          int userHooks, int referenceHooks, boolean hooksDisabled) {

    public boolean installed() {
        return !hookedEvents.isEmpty();
    }

    public String summary() {
        if (problem.isPresent()) return file + ": " + problem.get();
        if (!exists) return file + ": no such file (no Watchtower hooks)";
        var b = new StringBuilder(file.toString()).append(": ");
        if (!installed()) {
            b.append("no Watchtower hooks");
        } else {
            b.append(mode.map(m -> m.label() + " hooks").orElse("mixed http and command hooks"))
                    .append(" → ").append(String.join(", ", servers))
                    .append(" for ").append(hookedEvents.size()).append(" of ").append(ClaudeEvents.HOOKED.size())
                    .append(" events");
            if (!missingEvents.isEmpty()) b.append(" (missing: ").append(String.join(", ", missingEvents)).append(')');
        }
        if (userHooks > 0) b.append("; ").append(userHooks).append(" other hook(s)");
        if (referenceHooks > 0) {
            b.append("; ").append(referenceHooks).append(" reference watchtower-*.sh hook(s) also send to Watchtower");
        }
        if (hooksDisabled) b.append("; WARNING: \"disableAllHooks\" is true here, so no hook runs");
        return b.toString();
    }
}
