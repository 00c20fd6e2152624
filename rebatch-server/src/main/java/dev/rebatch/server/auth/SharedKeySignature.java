package dev.rebatch.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The Shared Key MAC: Base64(HMAC-SHA256(key, UTF-8(string-to-sign))), as all the official clients compute it. */
public final class SharedKeySignature {

    private SharedKeySignature() {}

    public static String compute(Account account, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(account.key(), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e); // every JDK must provide it
        }
    }

    /** The Authorization header value a client sends. */
    public static String authorizationHeader(Account account, String stringToSign) {
        return "SharedKey " + account.name() + ":" + compute(account, stringToSign);
    }
}
