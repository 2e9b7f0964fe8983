package watchtower.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.store.Store;

/**
 * GET/POST /settings: a whitelist of keys, each with its allowed values; settings are never
 * arbitrary writes. {@code terminal_app} is the reference's; {@code tokenless_ingest} keeps the
 * reference bash hooks (which cannot send the install token) working on loopback; {@code pricing}
 * overrides the per-model token prices.
 */
public final class SettingsApi {
    public static final String TOKENLESS_INGEST = "tokenless_ingest";
    /** Per-model price overrides, a JSON object (see tokens.Pricing); validated, not enumerated. */
    public static final String PRICING = "pricing";
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "terminal_app", Set.of("auto", "terminal", "iterm"),
            TOKENLESS_INGEST, Set.of("auto", "allow", "deny"));

    private final Store store;

    public SettingsApi(Store store) {
        this.store = store;
    }

    public void get(Request req, Response res) throws Exception {
        res.json(200, store.settings().all());
    }

    public void post(Request req, Response res) throws Exception {
        var body = req.jsonObject();
        var key = Fields.requiredText(body, "key");
        var value = Fields.requiredText(body, "value");
        if (key.equals(PRICING)) {
            try {
                watchtower.tokens.Pricing.withOverrides(value);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("invalid value for pricing: " + e.getMessage());
            }
        } else {
            var allowed = ALLOWED.get(key);
            if (allowed == null) throw ApiError.badRequest("unknown setting: " + clip(key));
            if (!allowed.contains(value)) throw ApiError.badRequest("invalid value for " + key + ": " + clip(value));
        }
        store.writer().execute(tx -> {
            store.settings().put(tx, key, value);
            return null;
        });
        var out = new LinkedHashMap<String, Object>();
        out.put("ok", true);
        out.put("key", key);
        out.put("value", value);
        res.json(200, out);
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
