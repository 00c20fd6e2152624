package dev.rebatch.server.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A schema of its own in the test PostgreSQL database, so that runs never collide with each other or with anything
 * else in it. Unreachable PostgreSQL skips the tests with a notice, or fails them when
 * {@code REBATCH_TEST_POSTGRES=required} (CI, and any run that means to prove the PostgreSQL store).
 */
public final class PostgresTestDatabase implements AutoCloseable {

    /** Overridable for other machines; the default is the local trust-authenticated server. */
    private static final String BASE_URL = System.getenv().getOrDefault("REBATCH_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=5");

    private final String schema;

    private PostgresTestDatabase(String schema) {
        this.schema = schema;
    }

    /** Creates a fresh schema, or skips/fails the calling test class when PostgreSQL is unreachable. */
    public static PostgresTestDatabase create() throws SQLException {
        String schema = "rebatch_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(BASE_URL); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String problem = "PostgreSQL is unreachable at " + BASE_URL + ": " + e.getMessage();
            if ("required".equals(System.getenv("REBATCH_TEST_POSTGRES"))) {
                fail(problem + " (REBATCH_TEST_POSTGRES=required)", e);
            }
            String notice = "SKIPPING PostgreSQL store tests. " + problem
                    + ". Set REBATCH_TEST_POSTGRES=required to make this a failure.";
            System.err.println("*** " + notice);
            Assumptions.abort(notice);
        }
        return new PostgresTestDatabase(schema);
    }

    /** A URL whose connections work in this schema. */
    public String url() {
        return BASE_URL + "&currentSchema=" + schema;
    }

    /**
     * Ends the PostgreSQL sessions that hold an {@link InstanceLock} of this schema, as the death of their instance
     * would, and waits until they have ended (PostgreSQL 14 and later); returns how many.
     */
    public int terminateInstanceLockHolders() throws SQLException {
        try (Connection c = DriverManager.getConnection(BASE_URL);
                var ps = c.prepareStatement("""
                        SELECT count(pg_terminate_backend(l.pid, 10000))
                        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                        WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
                          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                          AND a.application_name = ?
                          AND l.objid::text::bigint = (hashtext(?)::bigint & 4294967295)""")) {
            ps.setString(1, PostgresAdvisoryLock.APPLICATION_NAME);
            ps.setString(2, schema);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(BASE_URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
