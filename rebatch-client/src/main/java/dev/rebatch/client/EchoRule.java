package dev.rebatch.client;

import dev.rebatch.client.errors.BatchServiceException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which refusals of an operation may only be the echo of an earlier attempt that the service applied, and how to
 * confirm that it was. After an attempt with an unknown outcome (a timeout, a reset, a 5xx, a throttle), a retried
 * create may be told 409 *Exists, a retried delete 404 *NotFound, a retried terminate 409 JobCompleted: each may mean
 * "your first attempt worked". The SDK then checks the resource ({@link Confirmation}); without an earlier unknown
 * outcome the refusal is reported as it is, never swallowed.
 *
 * @param echoCodes    the Batch error codes that may be echoes, compared case-insensitively
 * @param confirmation how to check the resource and what to return when the earlier attempt did apply
 */
record EchoRule<T>(Set<String> echoCodes, Confirmation<T> confirmation) {

    EchoRule {
        echoCodes = echoCodes.stream().map(code -> code.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    static <T> EchoRule<T> of(Confirmation<T> confirmation, String... echoCodes) {
        return new EchoRule<>(Set.of(echoCodes), confirmation);
    }

    boolean recognises(String errorCode) {
        return errorCode != null && echoCodes.contains(errorCode.toLowerCase(Locale.ROOT));
    }

    T confirm(BatchServiceException echo) {
        return confirmation.confirm(echo);
    }

    /** Checks the resource; returns the call's result when the earlier attempt did apply, else throws. */
    @FunctionalInterface
    interface Confirmation<T> {
        /**
         * @param echo the refusal that may be an echo
         * @throws BatchServiceException {@code echo} itself, or a {@link dev.rebatch.client.errors.ResourceConflictException}
         *                               naming the differences, when the resource does not show the earlier attempt
         */
        T confirm(BatchServiceException echo);
    }
}
