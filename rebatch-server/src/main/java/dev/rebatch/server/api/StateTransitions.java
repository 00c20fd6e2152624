package dev.rebatch.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Changes to a stored resource as Batch reports them: a new state keeps previousState and its time; a changed
 * document keeps the state. Either way the version stays the one read, so the store accepts the write only if
 * nobody changed the resource meanwhile.
 */
public final class StateTransitions {

    private StateTransitions() {}

    /** The resource in {@code state} since {@code now}, with {@code documentChange} applied to its document. */
    public static StoredResource to(StoredResource resource, String state, Instant now, Consumer<ObjectNode> documentChange) {
        ObjectNode document = Json.readStored(resource.body());
        documentChange.accept(document);
        return to(resource, state, now, document, resource.exitCode(), resource.executionResult());
    }

    /**
     * The resource in {@code state} since {@code now} with {@code document} (the whole new document, as a task
     * decision of {@code dev.rebatch.server.execution} computes it) and a task's exit code and result columns, which
     * the store filters and counts on.
     */
    public static StoredResource to(StoredResource resource, String state, Instant now, ObjectNode document,
            Integer exitCode, String executionResult) {
        // A shallow copy: only top-level fields are set here, and the caller's document stays as it was.
        ObjectNode next = document.objectNode().setAll(document);
        next.put("previousState", resource.state());
        next.put("previousStateTransitionTime", Timestamps.iso(resource.stateTransitionTime()));
        return new StoredResource(resource.key(), state, Json.write(next), resource.version(),
                resource.creationTime(), now, now, exitCode, executionResult, resource.createRequestId());
    }

    /** The resource with a new document, in the same state, last modified {@code now}. */
    public static StoredResource withDocument(StoredResource resource, ObjectNode document, Instant now) {
        return new StoredResource(resource.key(), resource.state(), Json.write(document), resource.version(),
                resource.creationTime(), now, resource.stateTransitionTime(), resource.exitCode(),
                resource.executionResult(), resource.createRequestId());
    }
}
