package watchtower.http;

/** What a route calls: parse and validate the request, make one call, respond. */
@FunctionalInterface
public interface Handler {
    void handle(Request req, Response res) throws Exception;
}
