package watchtower.ctl;

/**
 * A failure wtctl explains in one line and turns into its exit code: 1 when the server (or the
 * local setup) refused, 3 when the server could not be reached. Usage mistakes are picocli's
 * ParameterException (exit 2), not this. It carries no stack trace: nobody reads one.
 */
public final class CtlError extends RuntimeException {
    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    private final int exitCode;
    private final int httpStatus;
    private final String hint;

    private CtlError(int exitCode, int httpStatus, String message, String hint) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
        this.hint = hint;
    }

    /** The server answered with an error; {@code detail} is its {"detail"} text. */
    public static CtlError refused(int httpStatus, String detail, String hint) {
        return new CtlError(REFUSED, httpStatus, detail, hint);
    }

    /** Something on this machine is wrong (token file, a missing program); {@code hint} says how to fix it. */
    public static CtlError failed(String message, String hint) {
        return new CtlError(REFUSED, 0, message, hint);
    }

    public static CtlError unreachable(String message, String hint) {
        return new CtlError(UNREACHABLE, 0, message, hint);
    }

    public int exitCode() {
        return exitCode;
    }

    /** The HTTP status the server answered with, or 0 when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** A second line telling the user what to do, or null. */
    public String hint() {
        return hint;
    }
}
