package watchtower.security;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Headers on every response: nosniff everywhere, and for pages a CSP that allows only our own
 * scripts, our own WebSocket and no framing. The vendored reference dashboard (static/reference/)
 * is built from inline scripts and handlers, so it alone gets 'unsafe-inline' for scripts.
 */
public final class SecurityHeaders extends Filter {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'; object-src 'none'";
    static final String REFERENCE_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        var h = exchange.getResponseHeaders();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        var path = exchange.getRequestURI().getPath();
        h.set("Content-Security-Policy", path.startsWith("/static/reference/") ? REFERENCE_CSP : CSP);
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "security headers";
    }
}
