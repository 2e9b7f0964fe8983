package watchtower.team;

import java.util.function.Consumer;
import watchtower.http.Json;

/**
 * Channel {@code wt_live}: each live message this instance commits goes to the other instances'
 * clients too (ours already have it), and theirs come to ours.
 */
final class LiveRelay {
    static final String CHANNEL = "wt_live";
    private static final System.Logger LOG = System.getLogger("watchtower.team");

    private final Notices notices;

    LiveRelay(Notices notices, Consumer<Object> local) {
        this.notices = notices;
        notices.on(CHANNEL, (from, body) -> {
            if (!from.equals(notices.instance())) local.accept(Json.MAPPER.readTree(body));
        });
    }

    /** Queues a committed message for the others; never blocks ingest. */
    void publish(Object message) {
        if (!notices.send(CHANNEL, Json.write(message))) {
            LOG.log(System.Logger.Level.WARNING, "team relay queue full; a live message reaches only this instance's clients");
        }
    }
}
