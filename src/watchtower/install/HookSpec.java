package watchtower.install;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hooks Watchtower wants in a Claude Code settings file, per event, for one mode and one
 * server. http mode is the persona's: Claude Code POSTs each payload to {@code /hooks/claude}
 * with the session, pane and token taken from the environment through {@code allowedEnvVars}
 * (the token is never written into the file); SessionStart and Setup, which the client will
 * not send over http, use curl to POST the same payload to the same URL. command mode runs
 * WtHook for every event, plus {@code notify}, {@code tokens} and {@code end} where the
 * reference bash hooks ran their counterparts, so it spools while the server is down.
 */
public final class HookSpec {
    public static final String HOOK_PATH = "/hooks/claude";
    /** The headers every http hook carries, each filled from the environment variable it names. */
    static final Map<String, String> HEADERS_FROM_ENV = headers();
    /** The http hooks' timeout, seconds; the server answers them at once. */
    static final int HTTP_TIMEOUT_S = 5;
    /** PermissionRequest is held open until a person decides; the server answers within 590 s. */
    static final int PERMISSION_TIMEOUT_S = 600;
    /** WtHook exits within its own deadline (1.5 s, at most ~4.2 s on a starved CPU). */
    static final int COMMAND_TIMEOUT_S = 10;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final HooksInstaller.Mode mode;
    private final String serverUrl;
    private final Optional<WtHookCommand> command;

    private HookSpec(HooksInstaller.Mode mode, String serverUrl, Optional<WtHookCommand> command) {
        this.mode = mode;
        this.serverUrl = serverUrl;
        this.command = command;
    }

    public static HookSpec http(String serverUrl) {
        return new HookSpec(HooksInstaller.Mode.HTTP, checkServerUrl(serverUrl), Optional.empty());
    }

    public static HookSpec command(String serverUrl, WtHookCommand command) {
        return new HookSpec(HooksInstaller.Mode.COMMAND, checkServerUrl(serverUrl), Optional.of(command));
    }

    public HooksInstaller.Mode mode() {
        return mode;
    }

    public String serverUrl() {
        return serverUrl;
    }

    public String hookUrl() {
        return serverUrl + HOOK_PATH;
    }

    /** Every hooked event with the hook objects to place under it, in {@link ClaudeEvents#HOOKED} order. */
    public Map<String, List<ObjectNode>> hooksByEvent() {
        var out = new LinkedHashMap<String, List<ObjectNode>>();
        for (var event : ClaudeEvents.HOOKED) out.put(event, hooksFor(event));
        return out;
    }

    List<ObjectNode> hooksFor(String event) {
        if (mode == HooksInstaller.Mode.HTTP) {
            return List.of(ClaudeEvents.COMMAND_ONLY.contains(event) ? curlHook() : httpHook(event));
        }
        var cmd = command.orElseThrow();
        var hooks = new ArrayList<ObjectNode>();
        hooks.add(commandHook(cmd.render(serverUrl, "send", event)));
        if (event.equals(ClaudeEvents.PERMISSION_REQUEST) || event.equals("Notification")) {
            hooks.add(commandHook(cmd.render(serverUrl, "notify")));
        }
        if (ClaudeEvents.TOKEN_EVENTS.contains(event)) hooks.add(commandHook(cmd.render(serverUrl, "tokens")));
        if (event.equals("SessionEnd")) hooks.add(commandHook(cmd.render(serverUrl, "end")));
        return hooks;
    }

    private ObjectNode httpHook(String event) {
        var hook = NODES.objectNode();
        hook.put("type", "http");
        hook.put("url", hookUrl());
        var headers = hook.putObject("headers");
        var allowed = NODES.arrayNode();
        HEADERS_FROM_ENV.forEach((header, envVar) -> {
            headers.put(header, "$" + envVar);
            allowed.add(envVar);
        });
        hook.set("allowedEnvVars", allowed);
        hook.put("timeout", event.equals(ClaudeEvents.PERMISSION_REQUEST) ? PERMISSION_TIMEOUT_S : HTTP_TIMEOUT_S);
        return hook;
    }

    /**
     * The same POST as an http hook, by curl: same URL, same headers from the same variables.
     * Silent (Claude Code reads a SessionStart hook's stdout as context) and always exit 0,
     * so a server that is down never shows up as a failing hook.
     */
    private ObjectNode curlHook() {
        var b = new StringBuilder("curl -s -o /dev/null --connect-timeout 1 -m 3 --noproxy 127.0.0.1,localhost");
        b.append(" -H 'Content-Type: application/json'");
        HEADERS_FROM_ENV.forEach((header, envVar) -> b.append(" -H \"").append(header).append(": $").append(envVar).append('"'));
        b.append(" --data-binary @- ").append(Shell.quote(hookUrl())).append(" || true");
        return commandHook(b.toString(), HTTP_TIMEOUT_S);
    }

    private static ObjectNode commandHook(String commandLine) {
        return commandHook(commandLine, COMMAND_TIMEOUT_S);
    }

    private static ObjectNode commandHook(String commandLine, int timeout) {
        var hook = NODES.objectNode();
        hook.put("type", "command");
        hook.put("command", commandLine);
        hook.put("timeout", timeout);
        return hook;
    }

    /**
     * A server base URL: http(s), a host, no query or fragment; trailing slashes dropped.
     * A URL already ending in /hooks/claude is taken as meaning its server.
     */
    public static String checkServerUrl(String raw) {
        if (raw == null || raw.isBlank()) throw new InstallException("the Watchtower URL is empty");
        var url = raw.trim();
        if (url.chars().anyMatch(c -> c <= ' ' || "'\"\\`$<>{}|^".indexOf(c) >= 0)) {
            throw new InstallException("'" + raw + "' holds characters a URL here may not (quotes, spaces, $, ...)");
        }
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        if (url.endsWith(HOOK_PATH)) url = url.substring(0, url.length() - HOOK_PATH.length());
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InstallException("'" + raw + "' is not a URL (" + e.getReason() + ")");
        }
        var scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new InstallException("'" + raw + "' is not an http(s) URL with a host, e.g. http://127.0.0.1:4200");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new InstallException("'" + raw + "' must be the server's base URL, without user, query or fragment");
        }
        return url;
    }

    private static Map<String, String> headers() {
        var h = new LinkedHashMap<String, String>();
        h.put("X-UVS-Session", "UVS_SESSION_ID");
        h.put("X-Tmux-Pane", "TMUX_PANE");
        h.put("X-UVS-Token", "UVS_TOKEN");
        return java.util.Collections.unmodifiableMap(h);
    }
}
