package dev.rebatch.server.http;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.auth.AuthenticationFailure;
import dev.rebatch.server.auth.AuthenticationResult;
import dev.rebatch.server.auth.SharedKeyAuthenticator;
import dev.rebatch.server.auth.SignedRequest;
import io.javalin.http.Context;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adapts a Javalin request to Shared Key authentication; a failure becomes 403 AuthenticationFailed. */
public final class SharedKeyRequestAuthenticator implements RequestAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(SharedKeyRequestAuthenticator.class);

    private final SharedKeyAuthenticator authenticator;
    private final Clock clock;

    public SharedKeyRequestAuthenticator(AccountRegistry accounts, Clock clock) {
        this.authenticator = new SharedKeyAuthenticator(accounts);
        this.clock = clock;
    }

    @Override
    public String authenticate(Context ctx, byte[] body) {
        // Clients sign the path and query as they sent them, still percent-encoded.
        SignedRequest request = new SignedRequest(ctx.method().name(), ctx.req().getRequestURI(), ctx.queryString(),
                ctx.headerMap(), body.length);
        AuthenticationResult result = authenticator.authenticate(request, clock.instant());
        if (result instanceof AuthenticationResult.Authenticated authenticated) {
            return authenticated.account().name();
        }
        AuthenticationFailure failure = (AuthenticationFailure) result;
        log.info("Refused {} {}: {} (request-id {})", ctx.method(), ctx.path(), failure.reason(),
                RequestContext.of(ctx).requestId());
        throw new BatchException(BatchErrorCode.AuthenticationFailed, AuthenticationFailure.MESSAGE,
                BatchException.detail(AuthenticationFailure.DETAIL_KEY, failure.detail()));
    }
}
