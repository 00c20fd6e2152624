package dev.rebatch.retry;

import java.util.concurrent.CompletionStage;

/**
 * An asynchronous operation the handler may run several times. Complete the stage exceptionally (or throw)
 * to report a failed attempt. If the stage is a {@code CompletableFuture}, the handler cancels it when the
 * attempt times out or the caller cancels the operation.
 */
@FunctionalInterface
public interface AsyncOperation<T> {

    CompletionStage<T> call(Attempt attempt);
}
