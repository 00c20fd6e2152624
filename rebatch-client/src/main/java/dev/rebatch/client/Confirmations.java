package dev.rebatch.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.errors.ResourceConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The checks behind each {@link EchoRule}: does the resource show that an earlier attempt was applied? */
final class Confirmations {

    private static final Logger LOG = LoggerFactory.getLogger(Confirmations.class);

    private Confirmations() {}

    /**
     * A create answered *Exists: reads the resource and returns success when it holds everything {@code sent}
     * holds; otherwise someone else created it, and the caller gets a {@link ResourceConflictException} naming
     * the differences.
     */
    static Created created(BatchCalls calls, String what, String id, Object sent, BatchServiceException exists,
            Supplier<Object> read) {
        Object found = readOrEcho(read, exists);
        JsonNode foundJson = calls.json().valueToTree(found);
        List<String> differences = SpecComparison.differences(calls.json().valueToTree(sent), foundJson);
        if (!differences.isEmpty()) {
            throw new ResourceConflictException(exists, what + " " + id, differences);
        }
        LOG.info("{} {} exists and matches what was sent: the earlier attempt created it", what, id);
        String lastModified = foundJson.path("lastModified").asText(null);
        return new Created(id, foundJson.path("eTag").asText(null),
                lastModified == null ? null : Instant.parse(lastModified), true);
    }

    /**
     * An action answered a code that means "already in the state your action leads to": returns normally when the
     * resource's state is one of {@code reached}, else rethrows the refusal.
     */
    static void reached(String what, BatchServiceException refusal, Supplier<String> state, Set<String> reached) {
        String current = readOrEcho(state::get, refusal);
        if (current == null || !reached.contains(current.toLowerCase(Locale.ROOT))) {
            throw refusal;
        }
        LOG.info("{} is {}: the earlier attempt was applied", what, current);
    }

    /** A delete answered *NotFound or *BeingDeleted: the earlier attempt deleted it. */
    static Void gone(String what, BatchServiceException answer) {
        LOG.info("{}: {} after a retry, so the earlier attempt deleted it", what, answer.errorCode());
        return null;
    }

    /** Reads the resource; a failure to read leaves the original refusal as the answer, with the read's failure. */
    private static <T> T readOrEcho(Supplier<T> read, BatchServiceException echo) {
        try {
            return read.get();
        } catch (RuntimeException readFailed) {
            echo.addSuppressed(readFailed);
            throw echo;
        }
    }
}
