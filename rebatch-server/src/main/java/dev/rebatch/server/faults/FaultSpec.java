package dev.rebatch.server.faults;

/**
 * What a rule injects when it fires. Fields that do not apply to {@code type} are ignored.
 *
 * @param retryAfterSeconds  Retry-After for server-busy and too-many-requests
 * @param retryAfterHttpDate send Retry-After as an RFC 1123 date that many seconds ahead instead of as seconds
 * @param latencyMillis      the delay a latency fault adds
 * @param hangMillis         how long a hang holds the request before it is processed
 */
public record FaultSpec(FaultType type, int retryAfterSeconds, boolean retryAfterHttpDate, long latencyMillis,
        long hangMillis) {

    static final int DEFAULT_RETRY_AFTER_SECONDS = 1;
    static final long DEFAULT_HANG_MILLIS = 120_000;
}
