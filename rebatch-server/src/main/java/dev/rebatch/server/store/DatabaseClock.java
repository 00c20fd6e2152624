package dev.rebatch.server.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * "Now" inside the lease statements. On PostgreSQL it is the database's clock, written into the SQL, so every service
 * instance measures lease expiry against the same clock; on the embedded databases it is a parameter bound to the
 * service's own clock (injectable, which is how tests expire leases without waiting).
 */
final class DatabaseClock {

    private final String sharedClock;

    DatabaseClock(Dialect dialect) {
        this.sharedClock = dialect.sharedClockMicros();
    }

    /** The SQL expression for now, in epoch microseconds: the shared clock, or a {@code ?} to {@link #bind}. */
    String now() {
        return sharedClock != null ? sharedClock : "?";
    }

    /** Whether now is the database's clock, which the service learns only by asking the database. */
    boolean shared() {
        return sharedClock != null;
    }

    /** Binds {@code serviceNow} where {@link #now()} left a parameter; returns the next parameter index. */
    int bind(PreparedStatement ps, int index, Instant serviceNow) throws SQLException {
        if (sharedClock != null) {
            return index;
        }
        ps.setLong(index, EpochMicros.of(serviceNow));
        return index + 1;
    }
}
