package dev.rebatch.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link InstanceLock} on PostgreSQL: a session-level advisory lock held on a connection of its own (never one of
 * the pool's). The lock lives as long as that session: closing the connection, the holder's process dying (its
 * socket closes) or PostgreSQL ending the session frees it at once, and the next {@link #hold} of another instance
 * takes it. Its key is two integers, {@code hashtext('rebatch:' || name)} and {@code hashtext(current_schema())}, so
 * each schema (each store) has a lock of its own, and the two-key space never meets the one-key locks of Flyway and
 * of the job queues.
 *
 * <p>A holder whose host vanishes without closing the socket would keep the session until PostgreSQL notices; the
 * session therefore sets {@code idle_session_timeout} (PostgreSQL 14 and later), so that a holder that stops checking
 * for {@value #IDLE_SESSION_TIMEOUT_SECONDS} s loses the lock. A holder checks every second or so.
 */
final class PostgresAdvisoryLock implements InstanceLock {

    private static final Logger log = LoggerFactory.getLogger(PostgresAdvisoryLock.class);
    /** Seen in pg_stat_activity; tests find the holder's session by it. */
    static final String APPLICATION_NAME = "rebatch instance lock";
    static final int IDLE_SESSION_TIMEOUT_SECONDS = 30;
    private static final int CHECK_TIMEOUT_SECONDS = 5;
    private static final String KEY = "hashtext(?), hashtext(coalesce(current_schema(), ''))";
    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(" + KEY + ")";
    /** Ending the session frees the lock too, but only once the server has noticed; this frees it before the close. */
    private static final String UNLOCK = "SELECT pg_advisory_unlock(" + KEY + ")";

    private final String url;
    private final String name;
    private final Properties properties = new Properties();
    private volatile Connection connection;
    private volatile boolean held;
    private boolean unreachable;
    private volatile boolean closed;

    /**
     * @param url  the store's JDBC URL (credentials may be in it)
     * @param name what the lock is for, part of its key
     */
    PostgresAdvisoryLock(String url, String name) {
        this.url = url;
        this.name = name;
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        // A check must not hang on a silent network: past this it fails and counts as not held.
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("connectTimeout", "10");
    }

    @Override
    public synchronized boolean hold() {
        if (closed) {
            return false;
        }
        try {
            Connection c = connection;
            if (held) {
                // A session lock ends only with its session: a live session still holds it.
                held = c != null && c.isValid(CHECK_TIMEOUT_SECONDS);
                if (!held) {
                    log.warn("The PostgreSQL session holding the {} lock ended", name);
                    closeConnection();
                }
                return held;
            }
            if (c == null || c.isClosed()) {
                c = open();
                connection = c;
                if (closed) {
                    closeConnection();
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(TRY_LOCK)) {
                ps.setQueryTimeout(CHECK_TIMEOUT_SECONDS);
                ps.setString(1, "rebatch:" + name);
                try (ResultSet rs = ps.executeQuery()) {
                    held = rs.next() && rs.getBoolean(1);
                }
            }
            if (unreachable) {
                log.info("PostgreSQL is reachable again for the {} lock", name);
                unreachable = false;
            }
            return held;
        } catch (SQLException e) {
            if (!unreachable) {
                log.warn("Cannot check the {} lock on PostgreSQL; this instance counts as not holding it: {}", name,
                        e.toString());
                unreachable = true;
            }
            held = false;
            closeConnection();
            return false;
        }
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url, properties);
        try (Statement s = c.createStatement()) {
            s.execute("SET idle_session_timeout = '" + IDLE_SESSION_TIMEOUT_SECONDS + "s'");
        } catch (SQLException olderThan14) {
            log.debug("idle_session_timeout not set (PostgreSQL before 14?): {}", olderThan14.toString());
        }
        return c;
    }

    @Override
    public String describe() {
        return "a PostgreSQL advisory lock of the store's schema (" + name + ")";
    }

    /** Releases the lock and closes the session; may be called while a {@link #hold} waits on the network. */
    @Override
    public void close() {
        closed = true;
        Connection open = connection;
        if (open != null && held) {
            try (PreparedStatement ps = open.prepareStatement(UNLOCK)) {
                ps.setQueryTimeout(CHECK_TIMEOUT_SECONDS);
                ps.setString(1, "rebatch:" + name);
                ps.execute();
            } catch (SQLException e) {
                log.debug("Releasing the {} lock failed; closing its session frees it: {}", name, e.toString());
            }
        }
        held = false;
        closeConnection();
    }

    private void closeConnection() {
        Connection open = connection;
        connection = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException ignored) {
                // the session ends either way
            }
        }
    }
}
