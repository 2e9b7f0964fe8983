package watchtower.http;

import java.util.List;

/**
 * The one error type handlers throw: a status and a message for the client. The router turns
 * it into {@code {"detail": "..."}}; nothing else a handler throws reaches the wire as text.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final List<String> allow;

    private ApiError(int status, String detail, List<String> allow) {
        super(detail, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    public int status() { return status; }
    public String detail() { return getMessage(); }
    public List<String> allow() { return allow; }

    public static ApiError badRequest(String detail) { return new ApiError(400, detail, List.of()); }
    public static ApiError unauthorized(String detail) { return new ApiError(401, detail, List.of()); }
    public static ApiError forbidden(String detail) { return new ApiError(403, detail, List.of()); }
    public static ApiError notFound(String detail) { return new ApiError(404, detail, List.of()); }
    public static ApiError methodNotAllowed(List<String> allowed) {
        return new ApiError(405, "method not allowed", List.copyOf(allowed));
    }
    public static ApiError conflict(String detail) { return new ApiError(409, detail, List.of()); }
    public static ApiError tooLarge(String detail) { return new ApiError(413, detail, List.of()); }
    public static ApiError unsupportedMediaType(String detail) { return new ApiError(415, detail, List.of()); }
    public static ApiError unprocessable(String detail) { return new ApiError(422, detail, List.of()); }
    public static ApiError unavailable(String detail) { return new ApiError(503, detail, List.of()); }
}
