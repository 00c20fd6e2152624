package dev.rebatch.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on one PostgreSQL channel and hands every notification to a listener, on a thread of its own and over a
 * connection of its own (never one of the pool's: it is held for as long as the service runs). A lost connection is
 * reopened after a pause; the listener is then told that messages may have been lost in between.
 */
final class PostgresNotifications implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);
    /** How long one wait for notifications lasts; also how soon a close is noticed. */
    private static final int POLL_MILLIS = 500;
    private static final long RECONNECT_PAUSE_MILLIS = 1000;

    private final String url;
    private final Properties credentials = new Properties();
    private final String channel;
    private final Consumer<String> listener;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    private PostgresNotifications(String url, String user, String password, String channel,
            Consumer<String> listener) {
        this.url = url;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.channel = channel;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("rebatch-pg-listen").unstarted(this::run);
    }

    static PostgresNotifications start(String url, String user, String password, String channel,
            Consumer<String> listener) {
        PostgresNotifications notifications = new PostgresNotifications(url, user, password, channel, listener);
        notifications.thread.start();
        return notifications;
    }

    private void run() {
        boolean reconnecting = false;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, credentials); Statement s = c.createStatement()) {
                connection = c;
                // The channel name is a constant of this package, not input.
                s.execute("LISTEN " + channel);
                if (reconnecting) {
                    log.info("Listening on PostgreSQL channel {} again", channel);
                    deliver(DispatchStore.MESSAGES_MAY_BE_LOST);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received = pg.getNotifications(POLL_MILLIS);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            deliver(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (!reconnecting) {
                    log.warn("Lost the PostgreSQL connection listening on {}; wake-ups from other instances wait "
                            + "until it is back (long polls still end on time)", channel, e);
                }
                reconnecting = true;
                pause();
            } finally {
                connection = null;
            }
        }
    }

    private void deliver(String message) {
        try {
            listener.accept(message);
        } catch (RuntimeException e) {
            log.warn("A listener of {} failed on a message", channel, e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection open = connection;
        if (open != null) {
            try {
                open.close(); // ends a wait in getNotifications at once
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            thread.join(POLL_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
