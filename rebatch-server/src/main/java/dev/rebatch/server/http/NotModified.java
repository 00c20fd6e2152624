package dev.rebatch.server.http;

import io.javalin.http.Context;
import java.time.Instant;

/**
 * Signals that a conditional read found the resource unchanged: the request is answered 304 with the resource's
 * validators and no body. Thrown rather than returned so that a route reading through a helper needs no extra
 * branch; mapped by the server's exception handling to {@link #render(Context)}.
 */
public final class NotModified extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String etag;
    private final Instant lastModified;

    public NotModified(String etag, Instant lastModified) {
        super("Not modified", null, false, false); // a normal outcome: no stack trace
        this.etag = etag;
        this.lastModified = lastModified;
    }

    public String etag() {
        return etag;
    }

    public Instant lastModified() {
        return lastModified;
    }

    /** 304 with ETag and Last-Modified (RFC 9110 15.4.5) and nothing else: a 304 never has a body. */
    public void render(Context ctx) {
        ctx.status(304);
        ctx.header("ETag", etag);
        ctx.header("Last-Modified", EntityResponses.httpDate(lastModified));
        ctx.result("");
    }
}
