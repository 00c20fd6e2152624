package dev.rebatch.server.http;

import io.javalin.http.Context;

/** Decides which account a request acts for; refuses it with 403 AuthenticationFailed otherwise. */
@FunctionalInterface
public interface RequestAuthenticator {

    /**
     * @return the authenticated account's name
     * @throws BatchException AuthenticationFailed, with an AuthenticationErrorDetail value
     */
    String authenticate(Context ctx, byte[] body);
}
