package dev.rebatch.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored Batch resource: its JSON body as the service returns it, plus the columns the service filters,
 * orders, counts and locks on. Everything the API shows lives in {@code body}; the columns repeat what queries need.
 *
 * @param key                 which resource
 * @param state               the Batch state ("active", "completed"...)
 * @param body                the resource's JSON document
 * @param version             1 when created, +1 on every change; the ETag derives from it and updates are
 *                            accepted only against the version they read (optimistic concurrency)
 * @param creationTime        when it was created
 * @param lastModified        when it last changed
 * @param stateTransitionTime when it entered {@code state}
 * @param exitCode            a task's last exit code, or {@code null}
 * @param executionResult     a task's "success" or "failure", or {@code null}
 * @param createRequestId     the client-request-id of the create that made it (to replay a retried create), or null
 */
public record StoredResource(
        ResourceKey key,
        String state,
        String body,
        long version,
        Instant creationTime,
        Instant lastModified,
        Instant stateTransitionTime,
        Integer exitCode,
        String executionResult,
        String createRequestId) {

    public StoredResource {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(creationTime, "creationTime");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(stateTransitionTime, "stateTransitionTime");
    }
}
