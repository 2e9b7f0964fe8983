package watchtower.team;

import java.util.function.Consumer;

/**
 * Channel {@code wt_live}: each live message this instance commits goes to the other instances'
 * clients too (ours already have it), and theirs come to ours.
 */
final class LiveRelay {
    static final String CHANNEL = "wt_live";
    private static final System.Logger LOG = System.getLogger("watchtower.team");

    private final Notices notices;

    /** {@code local} takes the others' messages as they were encoded: our own instances wrote them. */
    LiveRelay(Notices notices, Consumer<String> local) {
        this.notices = notices;
        notices.on(CHANNEL, (from, body) -> {
            if (!from.equals(notices.instance())) local.accept(body);
        });
    }

    /** Queues a committed message, encoded, for the others; never blocks ingest. */
    void publish(String json) {
        if (!notices.send(CHANNEL, json)) {
            LOG.log(System.Logger.Level.WARNING, "team relay queue full; a live message reaches only this instance's clients");
        }
    }
}
