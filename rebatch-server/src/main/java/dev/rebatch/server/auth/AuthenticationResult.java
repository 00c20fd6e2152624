package dev.rebatch.server.auth;

/** The outcome of {@link SharedKeyAuthenticator#authenticate}: an account, or why there is none. */
public sealed interface AuthenticationResult permits AuthenticationResult.Authenticated, AuthenticationFailure {

    /** The request was signed with this account's key. */
    record Authenticated(Account account) implements AuthenticationResult {}
}
