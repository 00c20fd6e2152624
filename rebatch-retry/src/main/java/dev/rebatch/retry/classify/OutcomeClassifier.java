package dev.rebatch.retry.classify;

import java.time.Instant;

/** Maps an attempt's failure to an {@link Outcome}. Successful attempts are always {@link Outcome#SUCCESS}. */
@FunctionalInterface
public interface OutcomeClassifier {

    /**
     * @param failure what the attempt threw (never {@code null})
     * @param now     the current wall-clock time, to turn an HTTP-date Retry-After into a delay
     */
    Outcome classify(Throwable failure, Instant now);
}
