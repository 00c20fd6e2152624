package dev.rebatch.server.auth;

import java.util.Objects;

/**
 * Why a request was not authenticated.
 *
 * <p>Azure answers every one of these with 403 and the same body, and says what went wrong only in the
 * {@value #DETAIL_KEY} entry of {@code values}; the HTTP layer should do the same with {@link #ERROR_CODE},
 * {@link #MESSAGE} and {@link #detail()}.
 *
 * @param detail the {@value #DETAIL_KEY} text for the client; contains no key and no computed signature
 */
public record AuthenticationFailure(Reason reason, String detail) implements AuthenticationResult {

    public static final String ERROR_CODE = "AuthenticationFailed";
    public static final String MESSAGE = "Server failed to authenticate the request. Make sure the value of "
            + "Authorization header is formed correctly including the signature.";
    public static final String DETAIL_KEY = "AuthenticationErrorDetail";

    public AuthenticationFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    public enum Reason {
        MISSING_AUTHORIZATION,
        /** Not {@code SharedKey name:signature}. */
        MALFORMED_AUTHORIZATION,
        UNKNOWN_ACCOUNT,
        /** Neither {@code ocp-date} nor {@code Date}. */
        MISSING_DATE,
        INVALID_DATE,
        /** More than {@link SharedKeyAuthenticator#MAX_CLOCK_SKEW} before or after the server's clock. */
        DATE_OUT_OF_RANGE,
        /** The query has a broken percent-escape, so it has no canonical form to check. */
        MALFORMED_QUERY,
        SIGNATURE_MISMATCH
    }
}
