package watchtower.security;

import java.util.Map;
import watchtower.http.Request;
import watchtower.http.Response;

/**
 * POST /auth/session: the dashboard, having read the token from its URL fragment, trades it for
 * an HttpOnly, SameSite=Strict cookie, so pages on this origin (including the vendored reference
 * dashboard) authenticate without the secret ever being part of any HTML the server sends.
 * The guard has already checked the token (this route is CONTROL).
 */
public final class AuthApi {
    private final InstallSecret secret;

    public AuthApi(InstallSecret secret) {
        this.secret = secret;
    }

    public void startSession(Request req, Response res) throws Exception {
        res.header("Set-Cookie", HostOriginGuard.COOKIE + "=" + secret.value()
                + "; Path=/; HttpOnly; SameSite=Strict");
        res.json(200, Map.of("ok", true));
    }
}
