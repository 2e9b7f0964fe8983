package watchtower.http;

/** Runs before every matched route (the Host/Origin/token checks); throws ApiError to refuse. */
@FunctionalInterface
public interface Guard {
    void check(Request req, Access access);

    Guard NONE = (req, access) -> {};
}
