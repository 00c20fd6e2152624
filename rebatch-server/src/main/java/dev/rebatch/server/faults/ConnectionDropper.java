package dev.rebatch.server.faults;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Cuts a request's connection without a response. Javalin only exposes the servlet request; behind it is Jetty's
 * ServletContextRequest, whose channel knows the connection's endpoint. Closing the endpoint (rather than writing
 * an error) is what a crashed server or a broken network looks like to the client: an IOException, no status.
 */
public final class ConnectionDropper {

    /** Marks a request whose connection was cut, so that nothing counts it as answered. */
    private static final String DROPPED = "rebatch.connectionDropped";

    private ConnectionDropper() {}

    /** True when a fault cut this request's connection: the client got no answer at all. */
    public static boolean dropped(Context ctx) {
        return ctx.attribute(DROPPED) != null;
    }

    static void drop(Context ctx) {
        ctx.attribute(DROPPED, Boolean.TRUE);
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(ctx.req());
        if (jetty == null) {
            throw new IllegalStateException("Not a Jetty request; cannot drop its connection");
        }
        jetty.getServletChannel().getEndPoint().close();
    }
}
