package watchtower.install;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises the hooks Watchtower put into a settings file, so they can be replaced or
 * removed without touching anyone else's: an http hook whose URL path is /hooks/claude, a
 * command that POSTs to /hooks/claude (our curl), or a command that runs WtHook (the
 * installed java form, or the jbang alias). The reference's bash hooks
 * (watchtower-send.sh and friends) are not ours: they are only reported.
 */
final class OurHooks {
    private static final Pattern WTHOOK = Pattern.compile(
            "(^|[\\s/'\"])(WtHook|wthook(@[\\w.-]+)?|WtHook\\.java)['\"]?\\s+(send|notify|tokens|end|flush|codex-notify)\\b");
    private static final Pattern REFERENCE = Pattern.compile("watchtower-(send|notify|tokens|end)\\.sh");

    private OurHooks() {}

    static boolean isOurs(JsonNode hook) {
        if (!hook.isObject()) return false;
        var type = hook.path("type").asText("");
        if (type.equals("http")) return serverOf(hook.path("url").asText("")).isPresent();
        if (type.equals("command")) {
            var command = hook.path("command").asText("");
            return command.contains(HookSpec.HOOK_PATH) || WTHOOK.matcher(command).find();
        }
        return false;
    }

    static boolean isReferenceBashHook(JsonNode hook) {
        return hook.isObject() && hook.path("type").asText("").equals("command")
                && REFERENCE.matcher(hook.path("command").asText("")).find();
    }

    /** The server part of one of our http hooks' URL (before /hooks/claude). */
    static Optional<String> serverOf(String url) {
        try {
            var uri = new URI(url);
            var path = uri.getRawPath();
            if (path == null || !path.endsWith(HookSpec.HOOK_PATH)) return Optional.empty();
            return Optional.of(url.substring(0, url.lastIndexOf(HookSpec.HOOK_PATH)));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
