package watchtower.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import watchtower.http.Access;
import watchtower.http.ApiError;
import watchtower.http.Guard;
import watchtower.http.Request;

/**
 * The checks every request passes before its handler:
 * - Host must name this server (a browser tricked by DNS rebinding sends the attacker's name);
 * - a state-changing request or a WebSocket upgrade carrying a foreign Origin is refused (a page
 *   on another site can make a browser send either);
 * - the install secret (header X-UVS-Token, Authorization: Bearer, or the dashboard's
 *   SameSite=Strict cookie) is required for control and the live stream, for reads when bound
 *   beyond loopback, and for ingest unless tokenless ingest is allowed (see below);
 * - a machine's own token (team mode) is accepted for ingest only, never for reads, control,
 *   settings or decisions, and the request remembers which machine presented it.
 */
public final class HostOriginGuard implements Guard {
    public static final String COOKIE = "uvs_token";

    private final InstallSecret secret;
    private final boolean loopbackOnly;
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private final Set<String> allowedHosts = new LinkedHashSet<>();
    private final TokenlessIngest tokenless;
    private final MachineTokens machines;

    /** Whether ingest without the token is accepted: decided by the tokenless_ingest setting. */
    public interface TokenlessIngest {
        boolean allowed();
        void tokenSeen();
    }

    /** Looks up the active machine a token belongs to (team mode). */
    @FunctionalInterface
    public interface MachineTokens {
        Optional<String> authenticate(String token);

        MachineTokens NONE = token -> Optional.empty();
    }

    public HostOriginGuard(InstallSecret secret, boolean loopbackOnly, int port, List<String> extraOrigins,
                           TokenlessIngest tokenless) {
        this(secret, loopbackOnly, port, extraOrigins, tokenless, MachineTokens.NONE);
    }

    public HostOriginGuard(InstallSecret secret, boolean loopbackOnly, int port, List<String> extraOrigins,
                           TokenlessIngest tokenless, MachineTokens machines) {
        this.secret = secret;
        this.machines = machines;
        this.loopbackOnly = loopbackOnly;
        this.tokenless = tokenless;
        for (var host : List.of("127.0.0.1", "localhost", "[::1]")) {
            allowedHosts.add(host + ":" + port);
            allowedOrigins.add("http://" + host + ":" + port);
        }
        for (var o : extraOrigins) allowedOrigins.add(o.toLowerCase(Locale.ROOT).replaceAll("/+$", ""));
    }

    @Override
    public void check(Request req, Access access) {
        checkHost(req);
        boolean changesState = !req.method().equals("GET") && !req.method().equals("HEAD");
        boolean upgrade = req.header("Upgrade").map(u -> u.equalsIgnoreCase("websocket")).orElse(false);
        if (changesState || upgrade) checkOrigin(req);
        switch (access) {
            case OPEN -> { }
            case INGEST -> {
                var presented = presentedToken(req);
                if (presented.isPresent()) {
                    if (secret.matches(presented.get())) {
                        tokenless.tokenSeen();
                    } else {
                        var machine = machines.authenticate(presented.get());
                        if (machine.isEmpty()) throw ApiError.unauthorized("invalid install token");
                        req.authenticatedMachine(machine.get());
                    }
                } else if (!loopbackOnly || !tokenless.allowed()) {
                    throw ApiError.unauthorized("install token required (header X-UVS-Token)");
                }
            }
            case READ -> {
                if (!loopbackOnly) requireToken(req);
            }
            case CONTROL -> requireToken(req);
        }
    }

    private void checkHost(Request req) {
        if (!loopbackOnly) return; // beyond loopback every request needs the token instead
        var host = req.header("Host").orElse("").toLowerCase(Locale.ROOT);
        if (!allowedHosts.contains(host)) throw ApiError.forbidden("unexpected Host header");
    }

    private void checkOrigin(Request req) {
        var origin = req.header("Origin");
        if (origin.isPresent() && !allowedOrigins.contains(origin.get().toLowerCase(Locale.ROOT))) {
            throw ApiError.forbidden("cross-origin request refused");
        }
        if (req.header("Sec-Fetch-Site").map(s -> s.equalsIgnoreCase("cross-site")).orElse(false)) {
            throw ApiError.forbidden("cross-site request refused");
        }
    }

    private void requireToken(Request req) {
        var presented = presentedToken(req);
        if (presented.isEmpty()) throw ApiError.unauthorized("install token required (header X-UVS-Token)");
        if (secret.matches(presented.get())) return;
        if (machines.authenticate(presented.get()).isPresent()) {
            throw ApiError.forbidden("a machine token may only send events; this needs the install token");
        }
        throw ApiError.unauthorized("invalid install token");
    }

    static Optional<String> presentedToken(Request req) {
        var header = req.header("X-UVS-Token").filter(s -> !s.isBlank());
        if (header.isPresent()) return header;
        var auth = req.header("Authorization").filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7));
        if (auth.isPresent()) return auth.map(a -> a.substring(7).trim());
        return req.header("Cookie").flatMap(HostOriginGuard::cookieToken);
    }

    private static Optional<String> cookieToken(String cookieHeader) {
        for (var part : cookieHeader.split(";")) {
            var kv = part.trim();
            if (kv.startsWith(COOKIE + "=")) return Optional.of(kv.substring(COOKIE.length() + 1));
        }
        return Optional.empty();
    }

    /** A supplier-backed policy: "allow", "deny", or "auto" (allowed until a hook has sent the token). */
    public static TokenlessIngest fromSetting(Supplier<String> mode, Runnable onFirstToken) {
        return new TokenlessIngest() {
            private volatile boolean seen;

            @Override
            public boolean allowed() {
                return switch (mode.get()) {
                    case "allow" -> true;
                    case "deny" -> false;
                    default -> !seen;
                };
            }

            @Override
            public void tokenSeen() {
                if (!seen) {
                    seen = true;
                    onFirstToken.run();
                }
            }

            @Override
            public String toString() {
                return "tokenless ingest " + mode.get() + (seen ? " (token seen)" : "");
            }
        };
    }
}
