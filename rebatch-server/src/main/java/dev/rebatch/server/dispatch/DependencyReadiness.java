package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a waiting task's dependencies let it run: asked for every task with {@code dependsOn} before it is granted.
 *
 * <p><b>Temporary.</b> The full rule (a parent's exit conditions may satisfy or block its dependents through
 * {@code dependencyAction}) is being written with the other task rules in {@code dev.rebatch.server.execution}; this
 * class will delegate to it, and changes alone. Until then: a task waits until every parent it names, in
 * {@code taskIds} and in each {@code taskIdRanges} range, exists and completed with result {@code success} (the
 * Batch default).
 */
public final class DependencyReadiness {

    /** Ranges larger than this are not expanded per poll; such a task waits (Batch allows ranges of any size). */
    static final int MAX_RANGE = 10_000;

    private DependencyReadiness() {}

    /**
     * @param task    a waiting task of the job
     * @param sibling looks a task of the same job up by id
     */
    public static boolean isReady(StoredResource task, Function<String, Optional<StoredResource>> sibling) {
        JsonNode dependsOn = Json.readStored(task.body()).path("dependsOn");
        if (!dependsOn.isObject()) {
            return true;
        }
        for (JsonNode parent : dependsOn.path("taskIds")) {
            if (!succeeded(sibling.apply(parent.asText()))) {
                return false;
            }
        }
        for (JsonNode range : dependsOn.path("taskIdRanges")) {
            long start = range.path("start").asLong();
            long end = range.path("end").asLong();
            if (end - start >= MAX_RANGE) {
                return false;
            }
            for (long id = start; id <= end; id++) {
                if (!succeeded(sibling.apply(Long.toString(id)))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean succeeded(Optional<StoredResource> parent) {
        return parent.filter(p -> p.state().equals("completed") && "success".equals(p.executionResult())).isPresent();
    }
}
