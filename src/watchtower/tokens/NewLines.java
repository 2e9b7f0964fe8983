package watchtower.tokens;

import java.util.List;

/**
 * What one {@link TranscriptTail#read()} found: the complete lines added since the last
 * read, and whether the file was truncated or replaced, in which case {@code lines} start
 * from its beginning and whatever was counted from the old content must be dropped.
 */
public record NewLines(boolean restarted, List<String> lines) {
    public static final NewLines NONE = new NewLines(false, List.of());
}
