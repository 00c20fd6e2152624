package dev.rebatch.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/**
 * Opens the store the service was configured with: PostgreSQL when given a {@code jdbc:postgresql:} URL, otherwise
 * the embedded database in the data directory. Either way the schema is migrated before the store is returned.
 */
public final class BatchStores {

    /**
     * The embedded database, chosen by measurement (docs/storage.md): SQLite adds tasks as fast as H2, lists a
     * page ten times faster, and fsyncs every commit at no measurable cost, where H2 does not fsync commits.
     */
    static final Dialect EMBEDDED = Dialect.SQLITE;

    private BatchStores() {}

    /**
     * @param jdbcUrl {@code jdbc:postgresql://host:port/db?user=...} (credentials may be in the URL), or
     *                {@code null} for the embedded store
     * @param dataDir where the embedded store keeps its file; created when missing; unused for PostgreSQL
     */
    public static BatchStore open(String jdbcUrl, Path dataDir) {
        if (jdbcUrl == null) {
            return openEmbedded(EMBEDDED, dataDir);
        }
        Dialect dialect = Dialect.of(jdbcUrl);
        if (dialect != Dialect.POSTGRESQL) {
            // Embedded databases need their durability settings; they are opened by data directory only.
            throw new IllegalArgumentException("Only jdbc:postgresql: URLs are accepted; pass null for the "
                    + "embedded store: " + jdbcUrl);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("rebatch-postgresql");
        config.setJdbcUrl(jdbcUrl);
        // Requests are short; more connections than this mostly add contention in PostgreSQL.
        config.setMaximumPoolSize(10);
        return migrateAndWrap(config, dialect, () -> { });
    }

    /**
     * The lock that at most one service instance of the store holds at a time (see {@link InstanceLock}): a
     * PostgreSQL advisory lock of the store's schema, or for the embedded store one that is always held, as only one
     * service opens it.
     *
     * @param jdbcUrl as for {@link #open}
     * @param name    what the lock is for (one lock per name and store)
     */
    public static InstanceLock instanceLock(String jdbcUrl, Path dataDir, String name) {
        if (jdbcUrl == null) {
            return InstanceLock.alwaysHeld("the embedded store in " + dataDir.toAbsolutePath()
                    + " (one service at a time: its " + DataDirectoryLock.FILE_NAME + ")");
        }
        if (Dialect.of(jdbcUrl) != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("Only jdbc:postgresql: URLs are accepted: " + jdbcUrl);
        }
        return new PostgresAdvisoryLock(jdbcUrl, name);
    }

    /**
     * Opens an embedded store of the given engine; both engines stay available for measurement and tests.
     *
     * @throws DataDirectoryInUseException when another service has {@code dataDir} open
     */
    static JdbcBatchStore openEmbedded(Dialect engine, Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dataDir, e);
        }
        HikariConfig config = switch (engine) {
            case SQLITE -> sqlite(dataDir);
            case H2 -> h2(dataDir);
            case POSTGRESQL -> throw new IllegalArgumentException("PostgreSQL is not embedded");
        };
        DataDirectoryLock directory = DataDirectoryLock.acquire(dataDir);
        try {
            return migrateAndWrap(config, engine, directory);
        } catch (RuntimeException | Error e) {
            directory.close();
            throw e;
        }
    }

    private static HikariConfig sqlite(Path dataDir) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("rebatch-sqlite");
        config.setJdbcUrl("jdbc:sqlite:" + dataDir.resolve("rebatch.sqlite").toAbsolutePath());
        // WAL: readers never block the writer nor each other; a commit appends to the log.
        config.addDataSourceProperty("journal_mode", "WAL");
        // FULL: the log is fsynced at every commit, so a commit survives power loss, not only kill -9.
        // (NORMAL would already survive kill -9: the WAL write is in the OS before commit returns.)
        config.addDataSourceProperty("synchronous", "FULL");
        // Writes are serialized in the JVM (Dialect.SQLITE); this only covers a checkpoint in progress.
        config.addDataSourceProperty("busy_timeout", "10000");
        // One writer at a time anyway; the others serve concurrent reads from WAL snapshots.
        config.setMaximumPoolSize(4);
        return config;
    }

    private static HikariConfig h2(Path dataDir) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("rebatch-h2");
        // WRITE_DELAY=0: write at every commit. H2's default (500 ms) acknowledges commits it may lose on kill -9.
        // MODE=PostgreSQL: for INSERT ... ON CONFLICT DO NOTHING, which the shared SQL uses.
        config.setJdbcUrl("jdbc:h2:file:" + dataDir.resolve("rebatch").toAbsolutePath()
                + ";WRITE_DELAY=0;MODE=PostgreSQL");
        config.setMaximumPoolSize(8);
        return config;
    }

    /** @param releaseAfterClose what the store holds besides its connections, released once they are closed */
    private static JdbcBatchStore migrateAndWrap(HikariConfig config, Dialect dialect,
            AutoCloseable releaseAfterClose) {
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            // On PostgreSQL Flyway holds an advisory lock while it migrates, so instances starting together take
            // turns: the first applies the migrations, the others find them applied.
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(dialect.migrations())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            return new JdbcBatchStore(dataSource, dialect, releaseAfterClose);
        } catch (RuntimeException | Error e) {
            dataSource.close();
            throw e;
        }
    }
}
