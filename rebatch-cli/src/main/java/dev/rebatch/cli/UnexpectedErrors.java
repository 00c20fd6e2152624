package dev.rebatch.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * What no command handled itself: one line naming the failure, and the stack trace only with {@code --debug}.
 * (Service answers and connection failures are reported by {@link ClientCommand} through {@link ErrorReport}.)
 */
final class UnexpectedErrors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println("rebatch: " + describe(failure));
        if (debug(parseResult)) {
            failure.printStackTrace(err);
        } else {
            err.println("  run again with --debug to see the stack trace");
        }
        err.flush();
        return Rebatch.SERVICE_REFUSED;
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getName()
                : failure.getClass().getSimpleName() + ": " + message;
    }

    /** Whether the innermost command given had --debug. */
    static boolean debug(ParseResult parseResult) {
        ParseResult innermost = parseResult;
        while (innermost.hasSubcommand()) {
            innermost = innermost.subcommand();
        }
        return innermost.hasMatchedOption("--debug");
    }
}
