package dev.rebatch.cli;

import dev.rebatch.client.errors.AttemptRecord;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.errors.ResourceConflictException;
import dev.rebatch.retry.AttemptTimeoutException;
import dev.rebatch.retry.classify.Category;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A failed SDK call as the command line tells it: one line with what the service said (status, code, the first line
 * of its message, the values naming the property), what to do next where that is clear, and the attempts when there
 * were retries.
 *
 * @param line     the one line
 * @param hint     what to do next, or {@code null}
 * @param attempts the attempts line, or {@code null} after a single attempt
 * @param exitCode {@link Rebatch#SERVICE_REFUSED} or {@link Rebatch#UNREACHABLE}
 */
record ErrorReport(String line, String hint, String attempts, int exitCode) {

    /** What the command was doing, for the hints. */
    record Context(String endpoint, boolean developmentAccount, String jobId, String poolId) {}

    static ErrorReport of(BatchException failure, Context context) {
        String attempts = failure.attempts().size() > 1 ? "after " + failure.attempts().size() + " attempts: "
                + failure.attempts().stream().map(AttemptRecord::describe).collect(Collectors.joining("; ")) : null;
        if (failure instanceof BatchServiceException answer) {
            return new ErrorReport(serviceLine(answer), serviceHint(answer, context), attempts,
                    Rebatch.SERVICE_REFUSED);
        }
        return new ErrorReport(connectionLine(failure, context), connectionHint(failure, context), attempts,
                Rebatch.UNREACHABLE);
    }

    void print(PrintWriter err) {
        err.println(line);
        if (hint != null) {
            err.println("  " + hint);
        }
        if (attempts != null) {
            err.println("  " + attempts);
        }
        err.flush();
    }

    private static String serviceLine(BatchServiceException answer) {
        StringBuilder line = new StringBuilder("Error: ").append(answer.statusCode());
        if (answer.errorCode() != null) {
            line.append(' ').append(answer.errorCode());
        }
        String first = firstLine(answer.serviceMessage());
        if (answer instanceof ResourceConflictException conflict) {
            first = "exists and differs from what was sent: " + String.join("; ", conflict.differences());
        }
        if (!first.isEmpty()) {
            line.append(": ").append(first);
        }
        if (!answer.values().isEmpty()) {
            line.append(" (").append(answer.values().entrySet().stream()
                    .map(value -> value.getKey() + ": " + brief(value.getValue()))
                    .collect(Collectors.joining("; "))).append(')');
        }
        return line.toString();
    }

    private static String serviceHint(BatchServiceException answer, Context context) {
        String code = answer.errorCode() == null ? "" : answer.errorCode();
        return switch (code) {
            case "JobNotFound" -> "list jobs with: rebatch job list";
            case "PoolNotFound" -> "list pools with: rebatch pool list";
            case "TaskNotFound" -> "list the job's tasks with: rebatch task list "
                    + (context.jobId() == null ? "JOB" : context.jobId());
            case "NodeNotFound" -> "list the pool's nodes with: rebatch node list "
                    + (context.poolId() == null ? "POOL" : context.poolId());
            case "JobExists", "PoolExists", "TaskExists" ->
                    "choose another id, or look at the existing one with 'show'";
            case "AuthenticationFailed" -> context.developmentAccount()
                    ? "the service does not accept the development account: set REBATCH_ACCOUNT_NAME and "
                            + "REBATCH_ACCOUNT_KEY to the account it serves (its start banner names it)"
                    : "check the account name and key: REBATCH_ACCOUNT_NAME and REBATCH_ACCOUNT_KEY (or "
                            + "--account-name/--account-key) must be the ones the service serves";
            case "NotImplemented" -> "this service does not implement that operation yet (see docs/compatibility.md)";
            case "ServerBusy", "TooManyRequests" -> "the service is overloaded: try again later, or with more --retries";
            default -> answer.statusCode() >= 500 && answer.requestId() != null
                    ? "the service failed; its log has more under request-id " + answer.requestId() : null;
        };
    }

    private static String connectionLine(BatchException failure, Context context) {
        Throwable cause = rootish(failure);
        String why;
        if (refused(failure)) {
            why = "connection refused";
        } else if (cause instanceof HttpConnectTimeoutException) {
            why = "the connection timed out";
        } else if (cause instanceof HttpTimeoutException || cause instanceof AttemptTimeoutException) {
            why = "no answer in time";
        } else if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
            why = "unknown host";
        } else {
            why = cause == null ? failure.category().name() : UnexpectedErrors.describe(cause);
        }
        return "Error: cannot reach the service at " + context.endpoint() + ": " + why
                + (failure.category() == Category.NETWORK_UNKNOWN ? " (the request may have been applied)" : "");
    }

    private static String connectionHint(BatchException failure, Context context) {
        if (refused(failure)) {
            return "is the service running? start it with: ./rebatch server (or point --endpoint / REBATCH_ENDPOINT "
                    + "at it)";
        }
        return "check the endpoint (--endpoint or REBATCH_ENDPOINT) and the network";
    }

    private static boolean refused(BatchException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof HttpConnectTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /** The most telling exception under the SDK's: the first one that is not a BatchException. */
    private static Throwable rootish(BatchException failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure.getCause(); t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t instanceof HttpTimeoutException || t instanceof AttemptTimeoutException
                    || t instanceof UnresolvedAddressException
                    || t instanceof UnknownHostException) {
                return t;
            }
        }
        return chain.isEmpty() ? null : chain.get(0);
    }

    /** A value's first line, cut after its first sentence when long (AuthenticationErrorDetail goes on and on). */
    private static String brief(String value) {
        String line = firstLine(value);
        int sentence = line.indexOf(". ");
        return line.length() > 100 && sentence > 0 ? line.substring(0, sentence + 1) : line;
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").strip();
    }
}
