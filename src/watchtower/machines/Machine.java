package watchtower.machines;

/** A machine as listed: never its token or the token's hash. revokedAt is null while it may post. */
public record Machine(String name, String createdAt, String lastSeenAt, String revokedAt) {
    public boolean active() {
        return revokedAt == null;
    }
}
