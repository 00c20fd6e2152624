package dev.rebatch.server.api;

import dev.rebatch.server.http.RequestContext;
import dev.rebatch.server.store.StoredResource;
import java.time.Duration;
import java.time.Instant;

/**
 * A create whose response was lost is retried by the client with the same client-request-id; the retry must get the
 * original success rather than a 409 "already exists". Shared by every create (pools, jobs, tasks) so that they all
 * honour the same window.
 */
public final class RetriedCreates {

    /** A create retried with the same client-request-id within this window replays the original success. */
    public static final Duration WINDOW = Duration.ofHours(24);

    private RetriedCreates() {}

    /** Whether {@code request} repeats the create that made {@code existing}, within {@link #WINDOW} of it. */
    public static boolean isReplay(StoredResource existing, RequestContext request, Instant now) {
        return request.clientRequestId() != null
                && request.clientRequestId().equalsIgnoreCase(existing.createRequestId())
                && existing.creationTime().plus(WINDOW).isAfter(now);
    }
}
