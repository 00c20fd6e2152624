package dev.rebatch.server.store;

import java.time.Instant;

/** A request's {@link RequestDeadline} passed before it changed anything; nothing of it was stored. */
public final class DeadlineExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DeadlineExceededException(Instant deadline) {
        super("The request's deadline " + deadline + " passed before it changed anything", null, false, false);
    }
}
