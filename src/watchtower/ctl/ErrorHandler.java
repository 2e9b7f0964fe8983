package watchtower.ctl;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place failures become exit codes (picocli's ExecutionExceptionHandlerDemo): a
 * CtlError prints "wtctl: message" (and a hint) and returns its code; a usage mistake prints
 * the mistake, any suggestion and where to get help, and returns 2; anything else is a bug in
 * wtctl and gets one line, still without a stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        var err = cmd.getErr();
        if (ex instanceof CtlError e) {
            err.println("wtctl: " + e.getMessage());
            if (e.hint() != null) err.println("hint: " + e.hint());
            err.flush();
            return e.exitCode();
        }
        if (ex instanceof InterruptedException) {
            err.println("wtctl: interrupted");
            err.flush();
            return CtlError.REFUSED;
        }
        if (ex instanceof MiniJson.Malformed e) {
            err.println("wtctl: the server's answer is not the JSON wtctl expects (" + e.getMessage() + ")");
            err.println("hint: is --url pointing at Watchtower?");
            err.flush();
            return CtlError.REFUSED;
        }
        err.println("wtctl: unexpected " + ex.getClass().getSimpleName()
                + (ex.getMessage() == null ? "" : ": " + Format.clean(ex.getMessage())));
        err.println("hint: this is a bug in wtctl; please report it with the command you ran");
        err.flush();
        return CtlError.REFUSED;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        var cmd = ex.getCommandLine();
        var err = cmd.getErr();
        err.println("wtctl: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return CtlError.USAGE;
    }
}
