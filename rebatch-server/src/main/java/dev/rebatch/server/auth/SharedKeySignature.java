package dev.rebatch.server.auth;

import dev.rebatch.model.auth.SharedKey;

/** The Shared Key MAC: Base64(HMAC-SHA256(key, UTF-8(string-to-sign))), as all the official clients compute it. */
public final class SharedKeySignature {

    private SharedKeySignature() {}

    public static String compute(Account account, String stringToSign) {
        return SharedKey.signature(account.key(), stringToSign);
    }

    /** The Authorization header value a client sends. */
    public static String authorizationHeader(Account account, String stringToSign) {
        return "SharedKey " + account.name() + ":" + compute(account, stringToSign);
    }
}
