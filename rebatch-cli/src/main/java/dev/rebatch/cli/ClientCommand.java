package dev.rebatch.cli;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.errors.BatchException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls the service through the SDK. It resolves the connection, runs {@link #run}, and turns what
 * the SDK throws into one clear line and an exit code ({@link ErrorReport}); never a stack trace unless --debug.
 */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    /** What the command does; its output goes through {@code session}. */
    abstract void run(Session session) throws Exception;

    /** The job this command is about, for the hints after an error (TaskNotFound: list the job's tasks). */
    String jobId() {
        return null;
    }

    /** The pool this command is about, for the hints after an error. */
    String poolId() {
        return null;
    }

    @Override
    public final Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        Rebatch root = (Rebatch) spec.root().userObject();
        ConnectionOptions.Connection resolved = connection.connect(commandLine, root.environment(), err);
        Session session = new Session(resolved.client(), new Printer(output.format, out, err), commandLine,
                root.stdin());
        try {
            run(session);
            return Rebatch.OK;
        } catch (BatchException failure) {
            ErrorReport report = ErrorReport.of(failure, new ErrorReport.Context(resolved.endpoint(),
                    resolved.developmentAccount(), jobId(), poolId()));
            report.print(err);
            if (connection.debug) {
                failure.printStackTrace(err);
            }
            return report.exitCode();
        } catch (CommandFailure failure) {
            err.println(failure.getMessage());
            if (failure.hint != null) {
                err.println("  " + failure.hint);
            }
            if (connection.debug && failure.getCause() != null) {
                failure.getCause().printStackTrace(err);
            }
            return failure.exitCode;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A failure the command explains itself: its one line, what to do next (or null), and the exit code. */
    static final class CommandFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final String hint;
        final int exitCode;

        CommandFailure(String line, String hint, int exitCode) {
            super(line);
            this.hint = hint;
            this.exitCode = exitCode;
        }
    }

    /** The client, the printer and the command line of one run. */
    record Session(BatchClient client, Printer printer, CommandLine commandLine, InputStream stdin) {

        /** A usage error (exit 2) with {@code message}. */
        CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(commandLine, message);
        }
    }
}
