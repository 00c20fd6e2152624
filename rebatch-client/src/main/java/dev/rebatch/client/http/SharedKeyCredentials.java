package dev.rebatch.client.http;

import dev.rebatch.model.auth.SharedKey;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * A Batch account name and key, which sign each request with Shared Key in the documented form (wire-notes
 * section 2). The key never leaves this object: it is not logged and {@link #toString()} leaves it out.
 */
public final class SharedKeyCredentials {

    private final String accountName;
    private final byte[] key;

    /**
     * @param accountName the Batch account
     * @param base64Key   the account key as Batch shows it (Base64)
     * @throws IllegalArgumentException when the key is not Base64
     */
    public SharedKeyCredentials(String accountName, String base64Key) {
        this.accountName = Objects.requireNonNull(accountName, "accountName");
        try {
            this.key = Base64.getDecoder().decode(Objects.requireNonNull(base64Key, "key"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The key of account " + accountName + " is not Base64: copy it "
                    + "exactly as the service printed it or as the portal shows it.", e);
        }
    }

    public String accountName() {
        return accountName;
    }

    /**
     * The Authorization header for a request. {@code headers} are the ones to be sent (matched
     * case-insensitively); the request must carry ocp-date, so Date is signed empty.
     *
     * @param rawPath  the percent-encoded path without the account
     * @param rawQuery the percent-encoded query without '?'
     */
    public String authorization(String method, String rawPath, String rawQuery, Map<String, String> headers,
            long contentLength) {
        // Date is signed empty, because ocp-date is sent.
        StringBuilder s = new StringBuilder(SharedKey.fixedHeaders(method, name -> header(headers, name),
                contentLength == 0 ? "" : Long.toString(contentLength), ""));
        s.append(SharedKey.canonicalHeaders(headers, false));
        s.append('/').append(accountName).append(rawPath);
        s.append(SharedKey.canonicalQuery(rawQuery));
        return "SharedKey " + accountName + ":" + SharedKey.signature(key, s.toString());
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return "";
    }

    @Override
    public String toString() {
        return "SharedKeyCredentials[" + accountName + "]";
    }
}
