package dev.rebatch.retry.classify;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The table that classifies exceptions thrown before any response arrived. Rows run from the most specific to
 * the most general, and the earliest row matching any exception in the cause chain wins; so a subtype comes
 * before its supertype (a connect timeout is an {@link HttpTimeoutException} too, but it means the request was
 * never sent).
 */
public final class ExceptionTable {

    /** One row: an exception type, its category, and whether it is a timeout (which costs more retry budget). */
    public record Row(Class<? extends Throwable> type, Category category, boolean timeout, String why) {}

    private static final List<Row> ROWS = List.of(
            new Row(HttpConnectTimeoutException.class, Category.NETWORK_NOT_SENT, true,
                    "The connection was never established, so the request was not sent."),
            new Row(ConnectException.class, Category.NETWORK_NOT_SENT, false,
                    "Connection refused or failed: the request was not sent."),
            new Row(UnknownHostException.class, Category.NETWORK_NOT_SENT, false, "DNS failed: nothing was sent."),
            new Row(UnresolvedAddressException.class, Category.NETWORK_NOT_SENT, false, "DNS failed: nothing was sent."),
            new Row(NoRouteToHostException.class, Category.NETWORK_NOT_SENT, false, "No route: nothing was sent."),
            new Row(PortUnreachableException.class, Category.NETWORK_NOT_SENT, false, "Nothing listens: not sent."),
            new Row(SSLHandshakeException.class, Category.NETWORK_NOT_SENT, false,
                    "TLS failed before any request byte was sent."),
            new Row(HttpTimeoutException.class, Category.NETWORK_UNKNOWN, true,
                    "No response in time after the request was sent: it may have been applied."),
            new Row(SocketTimeoutException.class, Category.NETWORK_UNKNOWN, true,
                    "A socket read timed out after the request was sent: it may have been applied."),
            new Row(TimeoutException.class, Category.NETWORK_UNKNOWN, true,
                    "The attempt timeout ran out: the request may have been applied."),
            new Row(SocketException.class, Category.NETWORK_UNKNOWN, false,
                    "The connection was reset or broken mid-request: it may have been applied."),
            new Row(EOFException.class, Category.NETWORK_UNKNOWN, false,
                    "The connection closed before the response: the request may have been applied."),
            new Row(SSLException.class, Category.NETWORK_UNKNOWN, false,
                    "TLS failed after the handshake: the request may have been applied."),
            new Row(IOException.class, Category.NETWORK_UNKNOWN, false,
                    "Any other I/O failure (for example no response bytes): the outcome is unknown."));

    private ExceptionTable() {}

    /** Every row, in match order. */
    public static List<Row> rows() {
        return ROWS;
    }

    /**
     * The most specific row that matches any exception in the cause chain, or {@code null}. Searching the whole
     * chain means a generic wrapper (an {@code IOException} around a {@code ConnectException}) cannot hide the
     * more telling cause inside it.
     */
    static Row mostSpecificInChain(Throwable failure, int maxDepth) {
        int best = ROWS.size();
        Throwable current = failure;
        for (int depth = 0; current != null && depth < maxDepth; depth++) {
            for (int i = 0; i < best; i++) {
                if (ROWS.get(i).type().isInstance(current)) {
                    best = i;
                    break;
                }
            }
            current = current.getCause();
        }
        return best < ROWS.size() ? ROWS.get(best) : null;
    }
}
