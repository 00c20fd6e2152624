package dev.rebatch.server.store;

import java.time.Instant;

/**
 * Times are stored as epoch microseconds in BIGINT columns: every database compares and indexes them the same
 * way, and {@code $filter} translation binds plain numbers. Nanoseconds below the microsecond are dropped, so
 * the store hands back {@link #truncate truncated} instants, which is what a later read returns as well.
 */
final class EpochMicros {

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private EpochMicros() {}

    static long of(Instant instant) {
        // getNano() is always 0..999_999_999, so this floors also before 1970.
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1000);
    }

    static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                Math.floorMod(micros, MICROS_PER_SECOND) * 1000L);
    }

    static Instant truncate(Instant instant) {
        return toInstant(of(instant));
    }
}
