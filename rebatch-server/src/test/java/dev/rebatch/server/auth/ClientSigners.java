package dev.rebatch.server.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shared Key signing transcribed from the JavaScript and .NET clients (wire-notes section 2, "What each client
 * actually does"), to check the server accepts what they send. The Java client is exercised for real instead.
 */
final class ClientSigners {

    private static final List<String> AFTER_CONTENT_LENGTH = List.of("Content-MD5", "Content-Type", "Date",
            "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range");

    private ClientSigners() {}

    /** @azure/batch 10.2.0, batchSharedKeyCredentials.js. */
    static String javaScript(ClientRequest request, String accountName, String base64Key) {
        String contentLength = request.headers().containsKey("Content-Length")
                ? request.headers().get("Content-Length")
                : request.body() != null ? Integer.toString(request.bodyLength())
                : request.method().equals("POST") ? "0" : "";
        StringBuilder s = standardHeaders(request, contentLength);
        // Only names stored as lower-case "ocp-"; values raw; empty values skipped.
        new TreeMap<>(request.headers()).forEach((name, value) -> {
            if (name.startsWith("ocp-") && !value.isEmpty()) {
                s.append(name.toLowerCase(Locale.ROOT)).append(':').append(value).append('\n');
            }
        });
        s.append('/').append(accountName).append(request.path());
        new TreeMap<>(request.query()).forEach((name, value) -> s.append('\n').append(name).append(':').append(value));
        return "SharedKey " + accountName + ":" + hmac(base64Key, s.toString());
    }

    /** Microsoft.Azure.Batch, Protocol/BatchSharedKeyCredential.cs. */
    static String dotNet(ClientRequest request, String accountName, String base64Key) {
        boolean forcesEmptyBody = Set.of("DELETE", "PATCH", "OPTIONS", "POST").contains(request.method());
        String contentLength = request.body() != null ? Integer.toString(request.bodyLength())
                : forcesEmptyBody ? "0" : "";
        StringBuilder s = standardHeaders(request, contentLength);
        Map<String, String> ocp = new TreeMap<>(Comparator.naturalOrder());
        request.headers().forEach((name, value) -> {
            if (name.toLowerCase(Locale.ROOT).startsWith("ocp-")) {
                ocp.put(name.toLowerCase(Locale.ROOT), value.replace('\r', ' ').replace('\n', ' ').stripLeading());
            }
        });
        ocp.forEach((name, value) -> s.append(name).append(':').append(value).append('\n'));
        s.append('/').append(accountName).append('/').append(request.path().replaceFirst("^/+", ""));
        Map<String, String> query = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        query.putAll(request.query());
        query.forEach((name, value) ->
                s.append('\n').append(name.toLowerCase(Locale.ROOT)).append(':').append(value));
        return "SharedKey " + accountName + ":" + hmac(base64Key, s.toString());
    }

    private static StringBuilder standardHeaders(ClientRequest request, String contentLength) {
        StringBuilder s = new StringBuilder(request.method()).append('\n');
        s.append(header(request, "Content-Encoding")).append('\n');
        s.append(header(request, "Content-Language")).append('\n');
        s.append(contentLength).append('\n');
        for (String name : AFTER_CONTENT_LENGTH) {
            s.append(header(request, name)).append('\n');
        }
        return s;
    }

    private static String header(ClientRequest request, String name) {
        return request.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse("");
    }

    static String hmac(String base64Key, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
