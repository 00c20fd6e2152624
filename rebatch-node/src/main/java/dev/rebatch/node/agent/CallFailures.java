package dev.rebatch.node.agent;

import dev.rebatch.client.errors.BatchServiceException;

/** How the agent reads a call that failed once the SDK's retries were spent: worth asking again, and for its log. */
final class CallFailures {

    private CallFailures() {}

    /** A refusal that asking again later may turn into another answer: a 5xx, 429 or 408. */
    static boolean isTransient(BatchServiceException refused) {
        int status = refused.statusCode();
        return status >= 500 || status == 429 || status == 408;
    }

    /** The first line of the failure's message: the SDK's messages go on to list every attempt. */
    static String firstLine(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
