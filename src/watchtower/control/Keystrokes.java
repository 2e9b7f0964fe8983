package watchtower.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Answers Claude Code's permission widget in a tmux session we own by typing: approve is
 * {@code 1} then {@code Enter}, deny is {@code Escape} (never {@code 2}: that approves and adds
 * a permanent rule). Keys sent within 0.25 s of a session's first widget can be swallowed, so
 * nothing is sent until the widget has been up for {@code settle}; then the pane is watched
 * until the widget leaves, and the keys are sent again only while that same widget is still
 * shown, at most {@code tries} times. Nothing is ever sent to a pane that shows no widget.
 */
public final class Keystrokes {
    /**
     * @param settle    how long the widget must have been up before the first key
     * @param appear    how long to wait for the widget to show (the approval can precede it by ~0.3 s)
     * @param confirm   how long each try waits for the widget to leave
     * @param tries     sends at most this many times
     * @param poll      pane polling interval
     * @param oldEnough an approval created this long ago has had its widget up for longer than settle
     */
    public record Timing(Duration settle, Duration appear, Duration confirm, int tries, Duration poll,
                         Duration oldEnough) {
        public static final Timing DEFAULT = new Timing(Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofMillis(1500), 3, Duration.ofMillis(50), Duration.ofSeconds(2));
    }

    private final Tmux tmux;
    private final Timing timing;

    public Keystrokes(Tmux tmux, Timing timing) {
        this.tmux = tmux;
        this.timing = timing;
    }

    /**
     * Answers the widget shown in {@code uvs_<id>}; true only if the widget really left the pane.
     * {@code createdAt} is when the approval was recorded (to the second, so it may be up to
     * 1 s earlier than the real moment); empty when unknown.
     */
    public boolean answer(String sessionId, boolean approve, Optional<Instant> createdAt) {
        var widget = awaitWidget(sessionId);
        if (widget.isEmpty()) return false; // no prompt to answer: send nothing
        long firstSeen = System.nanoTime();
        boolean longUp = createdAt.map(t -> t.plus(timing.oldEnough()).isBefore(Instant.now())).orElse(false);
        if (!longUp) pauseUntil(firstSeen + timing.settle().toNanos());

        var shown = snapshot(sessionId);
        // answered in the terminal meanwhile (not by us), or another prompt is up now: not ours to answer
        if (shown.isEmpty() || !shown.equals(widget)) return false;
        for (int attempt = 1; attempt <= timing.tries(); attempt++) {
            boolean sent = approve ? tmux.sendKeys(sessionId, "1", "Enter") : tmux.sendKeys(sessionId, "Escape");
            if (!sent) return false; // the session is gone
            var after = awaitChange(sessionId, shown.get());
            if (after == Pane.GONE) return false; // the session ended: nothing shows our answer was taken
            if (after == Pane.LEFT) return true; // gone, or another prompt took its place
        }
        return false;
    }

    private enum Pane { STILL_SHOWN, LEFT, GONE }

    private Optional<String> awaitWidget(String sessionId) {
        long deadline = System.nanoTime() + timing.appear().toNanos();
        while (true) {
            var s = snapshot(sessionId);
            if (s.isPresent() || System.nanoTime() > deadline) return s;
            LockSupport.parkNanos(timing.poll().toNanos());
        }
    }

    private Pane awaitChange(String sessionId, String shown) {
        long deadline = System.nanoTime() + timing.confirm().toNanos();
        while (true) {
            var pane = tmux.capture(sessionId);
            if (pane.isEmpty()) return Pane.GONE;
            var s = PermissionWidget.snapshot(pane.get());
            if (s.isEmpty() || !s.get().equals(shown)) return Pane.LEFT;
            if (System.nanoTime() > deadline) return Pane.STILL_SHOWN;
            LockSupport.parkNanos(timing.poll().toNanos());
        }
    }

    private Optional<String> snapshot(String sessionId) {
        return tmux.capture(sessionId).flatMap(PermissionWidget::snapshot);
    }

    /** The settle time is a rule of the client (keys too early are lost), not a condition to poll for. */
    private static void pauseUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) LockSupport.parkNanos(left);
    }
}
