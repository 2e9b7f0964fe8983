package watchtower.install;

/**
 * A refusal with a message a person can act on (which file, what is wrong, what to do).
 * Nothing was written when it is thrown; wtctl prints the message, never a stack trace.
 */
public final class InstallException extends RuntimeException {
    public InstallException(String message) {
        super(message);
    }

    public InstallException(String message, Throwable cause) {
        super(message, cause);
    }
}
