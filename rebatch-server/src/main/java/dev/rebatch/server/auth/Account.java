package dev.rebatch.server.auth;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Batch account: the name clients put in {@code Authorization: SharedKey name:signature} and the secret key
 * (the Base64-decoded bytes) they sign with.
 *
 * <p>The key is copied in and out so no caller can change it, and {@link #toString()} never prints it, so an
 * account may be logged. Two accounts are equal when their names (compared exactly) and keys are.
 */
public record Account(String name, byte[] key) {

    /** Azure's rule for Batch account names; lookup is case-insensitive, so upper case is let through. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]{3,24}");

    public Account {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "invalid account name '" + name + "': it must be 3 to 24 letters or digits");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("the key of account '" + name + "' is empty");
        }
        key = key.clone();
    }

    /**
     * An account whose key is given as clients are given it, in Base64.
     *
     * @throws IllegalArgumentException when the name is invalid or the key is not Base64; the message never
     *     contains the key
     */
    public static Account fromBase64(String name, String base64Key) {
        Objects.requireNonNull(base64Key, "base64Key");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            // Not chaining e: its message quotes the offending character of the key.
            throw new IllegalArgumentException("the key of account '" + name + "' is not valid Base64");
        }
        return new Account(name, key);
    }

    /** A copy of the key bytes. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Account that && name.equals(that.name) && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "Account[name=" + name + ", key=(hidden)]";
    }
}
