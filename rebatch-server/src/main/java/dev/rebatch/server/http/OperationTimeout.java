package dev.rebatch.server.http;

import dev.rebatch.server.http.OperationCatalog.Operation;
import java.time.Duration;
import java.util.Optional;

/**
 * The time the service may spend on a request before it has changed anything, from the spec's {@code timeout}
 * query parameter (whole seconds): "The default is 30 seconds. If the value is larger than 30, the default will be
 * used instead." Task_AddCollection has 120 for both. The parameter is taken as written, so {@code timeout=0} leaves
 * no time at all. {@link dev.rebatch.server.store.RequestDeadline} says what happens when it runs out.
 */
public final class OperationTimeout {

    static final Duration DEFAULT = Duration.ofSeconds(30);
    static final Duration ADD_TASK_COLLECTION = Duration.ofSeconds(120);

    private OperationTimeout() {}

    /**
     * @param parameter the {@code timeout} query parameter, already checked to be digits, or {@code null}
     * @param operation the request's spec operation, if its path is one
     */
    static Duration of(String parameter, Optional<Operation> operation) {
        Duration limit = operation.map(Operation::operationId).filter("Task_AddCollection"::equals).isPresent()
                ? ADD_TASK_COLLECTION
                : DEFAULT;
        if (parameter == null) {
            return limit;
        }
        long seconds = Long.parseLong(parameter);
        return seconds > limit.toSeconds() ? limit : Duration.ofSeconds(seconds);
    }
}
