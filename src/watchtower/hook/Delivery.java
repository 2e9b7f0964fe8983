package watchtower.hook;

/** What became of one request; it decides whether the request stays owed. */
public enum Delivery {
    /** 2xx: done. */
    DELIVERED,
    /** 4xx other than 408/429: the server read it and said no; sending it again cannot help. */
    REJECTED,
    /** Refused, timed out, 5xx, 408, 429: the server is not taking requests now; keep it. */
    UNAVAILABLE;

    public boolean settled() {
        return this != UNAVAILABLE;
    }
}
