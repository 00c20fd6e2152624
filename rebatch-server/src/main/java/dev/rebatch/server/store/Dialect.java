package dev.rebatch.server.store;

import java.sql.SQLException;
import java.util.Locale;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What differs between the databases the store runs on. The SQL statements are shared (see
 * {@link ResourceRows}); a dialect names only its migrations, how it reports a duplicate key and whether writes
 * must be serialized in the JVM.
 */
enum Dialect {

    POSTGRESQL("postgresql", false),
    H2("h2", false),
    /**
     * SQLite has one writer at a time. Its busy handler waits by sleeping and polling, which under contention costs
     * far more than queueing writers on a lock in the JVM, and a transaction that reads before it writes can fail
     * with SQLITE_BUSY instead of waiting. So the store serializes SQLite writes itself.
     */
    SQLITE("sqlite", true);

    /** SQLSTATE of a unique or primary key violation (PostgreSQL, H2). */
    private static final String UNIQUE_VIOLATION = "23505";

    private final String vendor;
    private final boolean singleWriter;

    Dialect(String vendor, boolean singleWriter) {
        this.vendor = vendor;
        this.singleWriter = singleWriter;
    }

    static Dialect of(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        throw new IllegalArgumentException("Unsupported store URL (expected jdbc:postgresql:, jdbc:h2: or "
                + "jdbc:sqlite:): " + jdbcUrl);
    }

    /** Flyway location of this database's migrations. */
    String migrations() {
        return "classpath:db/migration/" + vendor;
    }

    boolean singleWriter() {
        return singleWriter;
    }

    /**
     * What ends a SELECT whose rows the transaction must own: {@code FOR UPDATE}, with {@code SKIP LOCKED} when
     * {@code skipLocked} (a queue read: rows another grant holds are passed over, not waited for). Empty on SQLite,
     * whose transactions already hold the store's single writer.
     */
    String lockRows(boolean skipLocked) {
        if (this == SQLITE) {
            return "";
        }
        return skipLocked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE";
    }

    /**
     * What ends a SELECT of a parent row that must not change until the transaction ends, while other transactions
     * may hold the same lock (several task adds to one job at once): {@code FOR SHARE} on PostgreSQL, {@code FOR
     * UPDATE} on H2 (which has no shared row lock). Empty on SQLite, whose transactions hold the single writer.
     */
    String lockRowShared() {
        return switch (this) {
            case POSTGRESQL -> " FOR SHARE";
            case H2 -> " FOR UPDATE";
            case SQLITE -> "";
        };
    }

    /**
     * The SQL for "now" in epoch microseconds when the database has a clock every service instance shares
     * (PostgreSQL: {@code clock_timestamp()}, which moves within a transaction too); {@code null} for the embedded
     * databases, where the service's clock is bound instead (see {@link DatabaseClock}).
     */
    String sharedClockMicros() {
        return this == POSTGRESQL ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)" : null;
    }

    /** Whether several service instances may share the database, so that they must tell each other of new work. */
    boolean shared() {
        return this == POSTGRESQL;
    }

    boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            boolean unique = switch (this) {
                case SQLITE -> s instanceof SQLiteException sqlite
                        && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
                                || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE);
                case POSTGRESQL, H2 -> UNIQUE_VIOLATION.equals(s.getSQLState());
            };
            if (unique) {
                return true;
            }
        }
        return false;
    }
}
