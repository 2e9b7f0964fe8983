package watchtower.store;

/** A database failure that is ours, not the client's: the router answers it with a 500 and a reference. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
