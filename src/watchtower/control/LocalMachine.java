package watchtower.control;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The machine this process runs on: what the server does for its own sessions, and what `wtctl agent` runs. */
public final class LocalMachine implements Machine {
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private final Tmux tmux;
    private final Keystrokes keystrokes;
    private final Processes processes;
    private final Spawner spawner;

    LocalMachine(Tmux tmux, Keystrokes keystrokes, Processes processes, Spawner spawner) {
        this.tmux = tmux;
        this.keystrokes = keystrokes;
        this.processes = processes;
        this.spawner = spawner;
    }

    /**
     * This machine with the given options; sessions it starts post their hooks to
     * {@code serverUrl} with {@code token} (the install token on the server, the machine's own
     * token under `wtctl agent`).
     */
    public static LocalMachine create(ControlOptions options, String serverUrl, String token) {
        var tmux = new Tmux(options.tmuxSocket());
        return new LocalMachine(tmux, new Keystrokes(tmux, Keystrokes.Timing.DEFAULT), new Processes(KILL_GRACE),
                new Spawner(tmux, options, serverUrl, token));
    }

    Tmux tmux() {
        return tmux;
    }

    @Override
    public boolean has(String sessionId) {
        return tmux.has(sessionId);
    }

    @Override
    public Optional<String> capture(String sessionId) {
        return tmux.capture(sessionId);
    }

    @Override
    public boolean typeLiteral(String sessionId, String text) {
        return tmux.typeLiteral(sessionId, text);
    }

    @Override
    public boolean sendKeys(String sessionId, String... keys) {
        return tmux.sendKeys(sessionId, keys);
    }

    @Override
    public boolean kill(String sessionId) {
        return tmux.kill(sessionId);
    }

    @Override
    public List<String> sessionNames() {
        return tmux.sessionNames();
    }

    @Override
    public boolean answer(String sessionId, boolean approve, Optional<Instant> approvalCreatedAt) {
        if (!tmux.has(sessionId)) return false;
        return keystrokes.answer(sessionId, approve, approvalCreatedAt);
    }

    @Override
    public String stopVia(String sessionId, Long pid) {
        if (tmux.has(sessionId)) return "tmux";
        if (pid == null) return null;
        return processes.verify(pid, sessionId).isPresent() ? "pid" : "pid_gone";
    }

    @Override
    public void stop(String sessionId, Long pid, String via) {
        if ("tmux".equals(via)) {
            tmux.kill(sessionId);
        } else if ("pid".equals(via) && pid != null) {
            // verified again: ProcessHandle carries the start time, so a recycled pid is never signalled
            processes.verify(pid, sessionId).ifPresent(processes::terminate);
        }
    }

    @Override
    public String start(String sessionId, Spawner.Launch launch) {
        return spawner.start(sessionId, launch);
    }
}
