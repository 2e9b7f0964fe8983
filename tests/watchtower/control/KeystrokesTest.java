package watchtower.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.PrivateTmux;

/** Answering the widget by keys, against a fake agent in a real tmux pane. */
class KeystrokesTest {
    /** The real settle time; a confirm window the fake (builtins only) always beats, even on a loaded machine. */
    static final Keystrokes.Timing FAST = new Keystrokes.Timing(Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(700), 3, Duration.ofMillis(25), Duration.ofSeconds(2));

    @TempDir
    Path dir;
    final PrivateTmux tmux = new PrivateTmux();

    @AfterEach
    void stopTmux() {
        tmux.close();
    }

    @Test
    void approveTypesOneThenEnterAfterTheWidgetHasBeenUpHalfASecond() throws Exception {
        var agent = FakeAgent.start(tmux, "uvs_k1", dir, "widget", 0);
        assertTrue(new Keystrokes(tmux.tmux(), FAST).answer("k1", true, Optional.of(Instant.now())));
        assertTrue(tmux.capture("uvs_k1").contains("APPROVED"));
        var keys = agent.keysUpToSentinel(tmux, "uvs_k1");
        assertEquals(List.of("31", "0a"), keys.stream().map(FakeAgent.Key::hex).toList(), "1 then Enter, once");
        long waited = keys.get(0).micros() - agent.shownMicros();
        assertTrue(waited >= 500_000, "first key " + waited + " µs after the widget appeared; must be ≥ 0.5 s");
    }

    @Test
    void denyTypesEscapeOnlyNeverTwo() throws Exception {
        var agent = FakeAgent.start(tmux, "uvs_k2", dir, "widget", 0);
        assertTrue(new Keystrokes(tmux.tmux(), FAST).answer("k2", false, Optional.of(Instant.now())));
        assertTrue(tmux.capture("uvs_k2").contains("DENIED"));
        assertEquals(List.of("1b"), agent.keysUpToSentinel(tmux, "uvs_k2").stream().map(FakeAgent.Key::hex).toList());
    }

    @Test
    void swallowedKeysAreSentAgainWhileTheWidgetIsStillUp() throws Exception {
        // the client loses the first "1 Enter", as on a session's first widget
        var agent = FakeAgent.start(tmux, "uvs_k3", dir, "widget", 2);
        assertTrue(new Keystrokes(tmux.tmux(), FAST).answer("k3", true, Optional.of(Instant.now())));
        var keys = agent.keysUpToSentinel(tmux, "uvs_k3");
        assertEquals(List.of("31", "0a"), keys.stream().filter(FakeAgent.Key::swallowed).map(FakeAgent.Key::hex).toList());
        assertEquals(List.of("31", "0a"), keys.stream().filter(k -> !k.swallowed()).map(FakeAgent.Key::hex).toList(),
                "sent again exactly once, after the widget was seen still waiting");
    }

    @Test
    void aWidgetThatNeverLeavesIsNotActuatedAfterThreeTries() throws Exception {
        var agent = FakeAgent.start(tmux, "uvs_k4", dir, "stuck", 0);
        assertFalse(new Keystrokes(tmux.tmux(), FAST).answer("k4", true, Optional.of(Instant.now())));
        var typed = agent.keysUpToSentinel(tmux, "uvs_k4").stream().map(FakeAgent.Key::hex).toList();
        assertEquals(List.of("31", "0a", "31", "0a", "31", "0a"), typed);
    }

    @Test
    void anIdlePaneGetsNoKeysAtAll() throws Exception {
        var agent = FakeAgent.start(tmux, "uvs_k5", dir, "idle", 0);
        assertFalse(new Keystrokes(tmux.tmux(), FAST).answer("k5", true, Optional.of(Instant.now())));
        assertEquals(List.of(), agent.keysUpToSentinel(tmux, "uvs_k5"), "no 1, no Enter into the input line");
    }

    @Test
    void anApprovalOlderThanTwoSecondsIsAnsweredWithoutTheSettleWait() throws Exception {
        var agent = FakeAgent.start(tmux, "uvs_k6", dir, "widget", 0);
        var slowSettle = new Keystrokes.Timing(Duration.ofSeconds(60), FAST.appear(), FAST.confirm(), 3, FAST.poll(),
                FAST.oldEnough());
        long before = System.nanoTime();
        assertTrue(new Keystrokes(tmux.tmux(), slowSettle).answer("k6", true, Optional.of(Instant.now().minusSeconds(10))));
        assertTrue(System.nanoTime() - before < 30_000_000_000L, "the 60 s settle wait was skipped");
        assertEquals("31", agent.keysUpToSentinel(tmux, "uvs_k6").get(0).hex());
    }

    @Test
    void noSessionMeansNothingIsActuated() {
        assertFalse(new Keystrokes(tmux.tmux(), FAST).answer("nobody", true, Optional.empty()));
    }
}
