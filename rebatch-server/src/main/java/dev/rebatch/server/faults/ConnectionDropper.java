package dev.rebatch.server.faults;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Cuts a request's connection without a response. Javalin only exposes the servlet request; behind it is Jetty's
 * ServletContextRequest, whose channel knows the connection's endpoint. Closing the endpoint (rather than writing
 * an error) is what a crashed server or a broken network looks like to the client: an IOException, no status.
 */
final class ConnectionDropper {

    private ConnectionDropper() {}

    static void drop(Context ctx) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(ctx.req());
        if (jetty == null) {
            throw new IllegalStateException("Not a Jetty request; cannot drop its connection");
        }
        jetty.getServletChannel().getEndPoint().close();
    }
}
