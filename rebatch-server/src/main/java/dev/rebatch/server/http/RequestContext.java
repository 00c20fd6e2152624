package dev.rebatch.server.http;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.UUID;

/**
 * What the pipeline learned about a request before its operation runs.
 *
 * @param requestId       the service's id for this request, sent back as {@code request-id}
 * @param received        when the request arrived (for the Time line of error messages)
 * @param baseUrl         the endpoint as the client addressed it, for {@code odata.metadata}, urls and Location
 * @param account         the authenticated account name, or {@code null} before authentication
 * @param clientRequestId the client's {@code client-request-id}, or {@code null}
 */
public record RequestContext(UUID requestId, Instant received, String baseUrl, String account, String clientRequestId) {

    private static final String ATTRIBUTE = "rebatch.request";

    public static RequestContext of(Context ctx) {
        RequestContext request = ctx.attribute(ATTRIBUTE);
        if (request == null) {
            throw new IllegalStateException("The request pipeline did not run for " + ctx.path());
        }
        return request;
    }

    public void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    public RequestContext withAccount(String authenticatedAccount) {
        return new RequestContext(requestId, received, baseUrl, authenticatedAccount, clientRequestId);
    }

    /** The request's context, or {@code null} where the pipeline did not run. */
    public static RequestContext find(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }
}
