package watchtower.tokens;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token counts of all sessions, by Watchtower session id. Bounded: past {@code maxSessions}
 * the least recently updated session is forgotten; if it reports again its transcripts are
 * read again from the start, so its totals stay right, only slower to get. Sessions update
 * in parallel; updates of one session run one at a time.
 */
public final class TokenTracker {
    public static final int DEFAULT_MAX_SESSIONS = 1000;

    private final Map<String, SessionTokens> sessions;

    public TokenTracker() {
        this(DEFAULT_MAX_SESSIONS);
    }

    public TokenTracker(int maxSessions) {
        this.sessions = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SessionTokens> eldest) {
                return size() > maxSessions;
            }
        };
    }

    public Totals update(String sessionId, Path transcript, Pricing pricing) {
        SessionTokens session;
        synchronized (sessions) {
            session = sessions.computeIfAbsent(sessionId, id -> new SessionTokens());
        }
        return session.update(transcript, pricing);
    }

    public void forget(String sessionId) {
        synchronized (sessions) {
            sessions.remove(sessionId);
        }
    }

    public int size() {
        synchronized (sessions) {
            return sessions.size();
        }
    }
}
