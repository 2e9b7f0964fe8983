package watchtower.ingest;

import java.util.Map;
import watchtower.http.ApiError;

/** Token totals read from a session's transcript (filled in by the tokens package). */
public final class TokensIngest {
    public Map<String, Object> fromTranscript(String sessionId, String transcriptPath) {
        throw ApiError.unprocessable("transcript_path is not supported yet");
    }
}
