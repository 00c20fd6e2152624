package dev.rebatch.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How the store's code gets a connection: reads in autocommit, writes under the single-writer lock where the database
 * needs one (SQLite), and transactions that commit or roll back as a whole. Shared by the resource and the dispatch
 * halves of the store so both serialize SQLite writes on the same lock.
 */
final class StoreConnections {

    /** Work on a connection; may throw the store's own exceptions, which pass through unchanged. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource dataSource;
    /** Held around every write when the database has a single writer (SQLite); absent otherwise. */
    private final ReentrantLock writeLock;

    StoreConnections(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.writeLock = dialect.singleWriter() ? new ReentrantLock(true) : null;
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    /** A read in autocommit mode: one statement, its own consistent snapshot. */
    <T> T read(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            RequestDeadline.beforeRead(); // after the wait for a connection, which is where time goes under load
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("Store read failed", e);
        }
    }

    /** A write made of single autocommitted statements. */
    <T> T write(SqlWork<T> work) {
        lockWrites();
        try (Connection c = dataSource.getConnection()) {
            RequestDeadline.beforeWrite();
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("Store write failed", e);
        } finally {
            unlockWrites();
        }
    }

    /** Several statements that commit together or not at all. */
    <T> T transaction(SqlWork<T> work) {
        lockWrites();
        try (Connection c = dataSource.getConnection()) {
            RequestDeadline.beforeWrite();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
            // No setAutoCommit(true) here: HikariCP restores it when the connection returns to the pool.
        } catch (SQLException e) {
            throw new StoreException("Store transaction failed", e);
        } finally {
            unlockWrites();
        }
    }

    private static void rollbackQuietly(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Waits for the single writer, but no longer than the request's deadline allows: a request that would time out
     * while queueing gives up its place instead of writing late.
     */
    private void lockWrites() {
        if (writeLock == null) {
            return;
        }
        Duration allowed = RequestDeadline.waitAllowedBeforeWrite();
        if (allowed == null) {
            writeLock.lock();
            return;
        }
        boolean locked;
        try {
            locked = writeLock.tryLock(allowed.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting to write", e);
        }
        if (!locked) {
            RequestDeadline.beforeWrite(); // the deadline has passed: this throws
            writeLock.lock(); // a clock that went back: wait as if there were no deadline
        }
    }

    private void unlockWrites() {
        if (writeLock != null) {
            writeLock.unlock();
        }
    }
}
