package watchtower.control;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Picks the Machine a session runs on from its {@code machine} column: null or empty is this server's own. */
final class MachineRouter {
    private final Machine local;
    private final Function<String, Machine> remotes;

    MachineRouter(Machine local, Function<String, Machine> remotes) {
        this.local = local;
        this.remotes = remotes;
    }

    Machine of(Map<String, Object> session) {
        return machineName(session).map(remotes).orElse(local);
    }

    static Optional<String> machineName(Map<String, Object> session) {
        return session.get("machine") instanceof String m && !m.isEmpty() ? Optional.of(m) : Optional.empty();
    }
}
