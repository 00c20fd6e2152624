package dev.rebatch.model.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The parts of Batch Shared Key authentication (wire-notes section 2) that the SDK, which signs, and the service,
 * which verifies, must compute identically: the canonicalized query, the canonicalized ocp-* headers and the MAC.
 * The service builds several variants of the string-to-sign around these (the official clients differ); the SDK
 * signs the documented form.
 */
public final class SharedKey {

    /** The headers signed after Date, in order. */
    private static final List<String> AFTER_DATE =
            List.of("If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range");

    private SharedKey() {}

    /**
     * The first lines of the string-to-sign: {@code VERB}, Content-Encoding, Content-Language, Content-Length,
     * Content-MD5, Content-Type, Date, If-Modified-Since, If-Match, If-None-Match, If-Unmodified-Since, Range, each
     * followed by a newline. {@code header} gives a header's value, or "" when absent; Content-Length and Date are
     * given as signed, because how an empty body and ocp-date are signed is where the clients differ.
     */
    public static String fixedHeaders(String method, Function<String, String> header, String contentLength,
            String date) {
        StringBuilder s = new StringBuilder(method).append('\n');
        s.append(header.apply("Content-Encoding")).append('\n');
        s.append(header.apply("Content-Language")).append('\n');
        s.append(contentLength).append('\n');
        s.append(header.apply("Content-MD5")).append('\n');
        s.append(header.apply("Content-Type")).append('\n');
        s.append(date).append('\n');
        for (String name : AFTER_DATE) {
            s.append(header.apply(name)).append('\n');
        }
        return s.toString();
    }

    /** Base64(HMAC-SHA256(key, UTF-8(stringToSign))), as every official client computes it. */
    public static String signature(byte[] key, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e); // every JDK must provide it
        }
    }

    /**
     * {@code \nname:value} for each query parameter, names decoded and lowercased in order, values decoded; the
     * values of a repeated name sorted and comma-joined.
     *
     * @throws IllegalArgumentException when a name or value has a broken percent-escape
     */
    public static String canonicalQuery(String rawQuery) {
        Map<String, List<String>> parameters = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.computeIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT),
                    n -> new ArrayList<>()).add(URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        StringBuilder s = new StringBuilder();
        parameters.forEach((name, values) ->
                s.append('\n').append(name).append(':').append(String.join(",", values.stream().sorted().toList())));
        return s.toString();
    }

    /**
     * The canonicalized ocp-* headers: lowercased names in order, each {@code name:value\n}, CR/LF unfolded to
     * spaces and leading whitespace dropped. Headers with an empty value are signed as {@code name:} when
     * {@code includeEmpty}, else left out (the documented form leaves them out).
     */
    public static String canonicalHeaders(Map<String, String> headers, boolean includeEmpty) {
        Map<String, String> sorted = new TreeMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("ocp-")) {
                sorted.put(lower, value.replace('\r', ' ').replace('\n', ' ').stripLeading());
            }
        });
        StringBuilder s = new StringBuilder();
        sorted.forEach((name, value) -> {
            if (includeEmpty || !value.isEmpty()) {
                s.append(name).append(':').append(value).append('\n');
            }
        });
        return s.toString();
    }
}
