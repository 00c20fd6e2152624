package dev.rebatch.retry;

/** A synchronous operation the handler may run several times. Throw to report a failed attempt. */
@FunctionalInterface
public interface Operation<T> {

    T call(Attempt attempt) throws Exception;
}
