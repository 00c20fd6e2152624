package dev.rebatch.server.auth;

/** The configured accounts are unusable; the message says which setting or line is wrong, never a key. */
public final class AccountConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AccountConfigurationException(String message) {
        super(message);
    }

    public AccountConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
