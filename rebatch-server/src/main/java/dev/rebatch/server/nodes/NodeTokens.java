package dev.rebatch.server.nodes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secret a node agent gets when it registers, and presents in {@code x-rebatch-node-token} on every later call:
 * it proves the caller is that node, where the account's Shared Key only proves it is some agent of the account.
 * Only its SHA-256 is stored (a 256-bit random token needs no slow hash: there is nothing to guess), and tokens are
 * compared by their hashes in constant time.
 */
public final class NodeTokens {

    /** The header the token travels in. */
    public static final String HEADER = "x-rebatch-node-token";

    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeTokens() {}

    /** A new token: 32 random bytes, base64url. */
    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What is stored of a token: its SHA-256, hex. */
    static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** Whether {@code token} is the one {@code storedHash} was made from; constant time in the token's content. */
    static boolean matches(String token, String storedHash) {
        if (token == null || storedHash == null) {
            return false;
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(storedHash);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(sha256(token), expected);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
