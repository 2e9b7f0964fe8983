package watchtower.websocket;

/** What queueing a broadcast for one client led to. */
enum Offer {
    /** Queued behind frames a writer already has in hand (or quietly dropped: the client is closing). */
    QUEUED,
    /** Queued, and the client had nothing pending: the caller hands it to a writer. */
    READY,
    /** The queue is full: the client is not reading and should be dropped. */
    FULL
}
