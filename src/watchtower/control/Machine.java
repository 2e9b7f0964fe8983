package watchtower.control;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the control plane does on the machine a session runs on: keys and text into
 * {@code uvs_<id>}, reading its pane, answering its permission prompt, stopping it, starting a
 * new one. {@link LocalMachine} does it here; a remote machine does it through the
 * {@code wtctl agent} running there (watchtower.agent.RemoteMachine), which runs a LocalMachine
 * of its own. ControlApi picks one by the session's {@code machine} column.
 */
public interface Machine {
    /** Whether {@code uvs_<id>} is live on the machine's tmux socket: "owned by Watchtower". */
    boolean has(String sessionId);

    /** The session pane's visible text; empty when it is not there. */
    Optional<String> capture(String sessionId);

    /** Types {@code text} literally (no key names); false when the session went away. */
    boolean typeLiteral(String sessionId, String text);

    /** Sends key names from {@link MachineOps#KEYS}; false when the session went away. */
    boolean sendKeys(String sessionId, String... keys);

    boolean kill(String sessionId);

    /** Names of the live tmux sessions on the machine's socket. */
    List<String> sessionNames();

    /** Answers the permission widget with keys (see Keystrokes); true only if it left the pane. */
    boolean answer(String sessionId, boolean approve, Optional<Instant> approvalCreatedAt);

    /**
     * How close would stop the session, decided before anything is written: "tmux", "pid",
     * "pid_gone" (its process already ended) or null (nothing to stop). A pid that cannot be tied
     * to the session is a 409 (see Processes).
     */
    String stopVia(String sessionId, Long pid);

    /** Stops the session the way {@link #stopVia} chose; the pid is checked again first. */
    void stop(String sessionId, Long pid, String via);

    /** Starts an agent as session {@code sessionId} (spawn, fork); returns its tmux session name. */
    String start(String sessionId, Spawner.Launch launch);
}
