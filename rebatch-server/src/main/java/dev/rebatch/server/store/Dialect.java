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
