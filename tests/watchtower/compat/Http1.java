package watchtower.compat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import watchtower.testing.Api;

/**
 * Requests sent as plain HTTP/1.1. The JDK client otherwise offers an h2c upgrade, which the
 * reference server's uvicorn (httptools) refuses with 400 "Unsupported upgrade request.", so
 * both servers get these exact requests.
 */
final class Http1 {
    private Http1() {}

    static Api.Reply get(Api api, String path) {
        return api.send(api.builder(path, true).version(HttpClient.Version.HTTP_1_1).GET().build());
    }

    /** A JSON POST, with the install token only when {@code withToken}. */
    static Api.Reply post(Api api, String path, Object body, boolean withToken) {
        var json = body instanceof String s ? s : Api.write(body);
        return api.send(api.builder(path, withToken).version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
