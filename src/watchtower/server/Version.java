package watchtower.server;

/** The suite's version, printed by --version and /health. */
public final class Version {
    private Version() {}

    public static final String VALUE = "0.1.0";
}
