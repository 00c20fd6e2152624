package dev.rebatch.retry;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** An operation that fails with scripted exceptions, in order, then returns its value; it records each attempt. */
final class ScriptedOperation implements Operation<String> {

    /** What the operation saw of one attempt. */
    record Seen(String operationId, int number, Optional<Duration> timeout) {}

    private final Deque<Exception> failures;
    private final String value;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    ScriptedOperation(String value, Exception... failures) {
        this.value = value;
        this.failures = new ArrayDeque<>(List.of(failures));
    }

    @Override
    public synchronized String call(Attempt attempt) throws Exception {
        seen.add(new Seen(attempt.operationId(), attempt.number(), attempt.timeout()));
        Exception next = failures.poll();
        if (next != null) {
            throw next;
        }
        return value;
    }

    List<Seen> seen() {
        return seen;
    }
}
