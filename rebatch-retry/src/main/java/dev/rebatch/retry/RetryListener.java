package dev.rebatch.retry;

/**
 * Sees every attempt of every operation of a handler, for metrics and tracing. Called on the thread that ran
 * the attempt; keep it fast. An exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RetryListener {

    /** A listener that does nothing; the handler skips building events for it. */
    RetryListener NONE = event -> { };

    void onAttempt(AttemptEvent event);
}
