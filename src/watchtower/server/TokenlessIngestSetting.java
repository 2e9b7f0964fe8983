package watchtower.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import watchtower.security.HostOriginGuard;
import watchtower.settings.SettingsApi;
import watchtower.store.Store;

/**
 * Reads the tokenless_ingest setting for the guard, at most once a second (it is checked on
 * every hook request), and records in settings the first time a hook presents the token, so
 * that "auto" keeps requiring it after a restart.
 */
final class TokenlessIngestSetting {
    private TokenlessIngestSetting() {}

    static final String TOKEN_SEEN = "ingest_token_seen";

    static HostOriginGuard.TokenlessIngest of(Store store) {
        var cached = new AtomicReference<String>();
        var readAt = new AtomicLong();
        var policy = HostOriginGuard.fromSetting(() -> {
            long now = System.nanoTime();
            if (cached.get() == null || now - readAt.get() > 1_000_000_000L) {
                var all = store.settings().all();
                var mode = all.getOrDefault(SettingsApi.TOKENLESS_INGEST, "auto");
                cached.set(mode.equals("auto") && "true".equals(all.get(TOKEN_SEEN)) ? "deny" : mode);
                readAt.set(now);
            }
            return cached.get();
        }, () -> store.writer().submit(tx -> {
            store.settings().put(tx, TOKEN_SEEN, "true");
            return null;
        }));
        return policy;
    }
}
