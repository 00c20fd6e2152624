package dev.rebatch.server.auth;

import dev.rebatch.model.auth.SharedKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * Builds the Shared Key string-to-sign of a request (wire-notes section 2):
 *
 * <pre>
 * VERB\n Content-Encoding\n Content-Language\n Content-Length\n Content-MD5\n Content-Type\n Date\n
 * If-Modified-Since\n If-Match\n If-None-Match\n If-Unmodified-Since\n Range\n
 * CanonicalizedHeaders CanonicalizedResource
 * </pre>
 *
 * <p>The official clients do not all build the same string for the same request, so {@link #candidates} lists
 * each string a supported client may have signed; a request is authentic when its signature matches any of them.
 */
public final class StringToSign {

    private StringToSign() {}

    /**
     * The string-to-sign as the documentation defines it, for a request signed by {@code accountName}: an empty
     * body signs Content-Length as "", Date is empty when ocp-date is present, ocp-* headers with an empty value
     * are left out, and the account name is used as given.
     *
     * @throws IllegalArgumentException when the query has a broken percent-escape
     */
    public static String of(SignedRequest request, String accountName) {
        return candidates(request, accountName).getFirst();
    }

    /**
     * Every string a supported client may have signed for this request, {@link #of the documented one} first,
     * without repeats. The variants, each tried only where it makes a difference:
     * <ul>
     *   <li>Content-Length of an empty body: "" (java11.2, js10.2 except POST, .NET GET/HEAD) or "0" (js10.2
     *       POST, .NET DELETE/PATCH/POST, java11.2 for the empty body Retrofit gives a POST);</li>
     *   <li>account name in the resource: as in the Authorization header (js10.2, .NET) or lowercased
     *       (java11.2);</li>
     *   <li>Date when ocp-date is present: empty (the documentation) or the Date header as sent (what all three
     *       clients literally do);</li>
     *   <li>ocp-* headers with an empty value: left out (js10.2) or signed as {@code name:} (java11.2, .NET);</li>
     *   <li>query: decoded once (the documentation, js10.2, .NET) or twice (java11.2 decodes okhttp's already
     *       decoded {@code HttpUrl.query()} again, so {@code %2B} signs as a space).</li>
     * </ul>
     * None of these lets a signature vouch for a request that means something else, provided the HTTP layer
     * treats an empty ocp-* header as absent (whether one is there is not covered) and Date as unused when
     * ocp-date is present; the java11.2 query form is the exception, an ambiguity of the client's own (see
     * {@link #okHttpDecodedQuery}).
     *
     * @throws IllegalArgumentException when the query has a broken percent-escape
     */
    public static List<String> candidates(SignedRequest request, String accountName) {
        String query = canonicalQuery(request.rawQuery());
        List<String> resources = new ArrayList<>();
        for (String account : distinct(accountName, accountName.toLowerCase(Locale.ROOT))) {
            String path = "/" + account + "/" + stripLeadingSlashes(request.rawPath());
            resources.add(path + query);
            javaQuery(request.rawQuery()).filter(q -> !q.equals(query)).ifPresent(q -> resources.add(path + q));
        }

        SequencedSet<String> result = new LinkedHashSet<>();
        for (String contentLength : contentLengths(request)) {
            for (String date : dates(request)) {
                String fixedHeaders = fixedHeaders(request, contentLength, date);
                for (String ocpHeaders : distinct(ocpHeaders(request, false), ocpHeaders(request, true))) {
                    for (String resource : resources) {
                        result.add(fixedHeaders + ocpHeaders + resource);
                    }
                }
            }
        }
        return List.copyOf(result);
    }

    private static String fixedHeaders(SignedRequest request, String contentLength, String date) {
        return SharedKey.fixedHeaders(request.method(), name -> headerOrEmpty(request, name), contentLength, date);
    }

    /**
     * The signed Content-Length comes from the bytes received, not the header, so a body cut short or padded
     * in transit fails the check.
     */
    private static List<String> contentLengths(SignedRequest request) {
        return request.bodyLength() == 0 ? List.of("", "0") : List.of(Long.toString(request.bodyLength()));
    }

    private static List<String> dates(SignedRequest request) {
        String date = headerOrEmpty(request, "Date");
        boolean ocpDate = !headerOrEmpty(request, "ocp-date").isEmpty();
        return distinct(ocpDate ? "" : date, date);
    }

    /** ocp-* headers as {@link SharedKey#canonicalHeaders} signs them. */
    static String ocpHeaders(SignedRequest request, boolean includeEmpty) {
        return SharedKey.canonicalHeaders(request.headers(), includeEmpty);
    }

    /** The canonicalized query, as {@link SharedKey#canonicalQuery}. */
    static String canonicalQuery(String rawQuery) {
        return SharedKey.canonicalQuery(rawQuery);
    }

    /** The canonical query as java11.2 computes it, or empty when its second decoding would fail. */
    private static Optional<String> javaQuery(String rawQuery) {
        try {
            return Optional.of(canonicalQuery(okHttpDecodedQuery(rawQuery)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // java11.2 throws on such a query itself, so never signed one
        }
    }

    /**
     * What okhttp 3's {@code HttpUrl.query()} returns for this encoded query: each name and value percent-decoded
     * ({@code +} as space, broken escapes kept), rejoined with {@code =} and {@code &}. java11.2 splits and
     * URL-decodes this again, so a value containing {@code %2B}, {@code %25}, {@code %26} or {@code %3D} signs
     * differently from the documented form. That is ambiguous in the client ({@code a%2Bb} and {@code a+b} sign
     * alike), which is why this form is only a fallback.
     */
    static String okHttpDecodedQuery(String rawQuery) {
        List<String> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&", -1)) {
            int equals = pair.indexOf('=');
            pairs.add(equals < 0 ? percentDecode(pair)
                    : percentDecode(pair.substring(0, equals)) + "=" + percentDecode(pair.substring(equals + 1)));
        }
        return String.join("&", pairs);
    }

    /** okhttp's lenient percent-decoding: a '%' not followed by two hex digits stays as it is. */
    private static String percentDecode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] in = encoded.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                bytes.write(hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
            } else {
                bytes.write(in[i] == '+' ? ' ' : in[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    private static String headerOrEmpty(SignedRequest request, String name) {
        String value = request.header(name);
        return value == null ? "" : value;
    }

    private static String stripLeadingSlashes(String path) {
        int start = 0;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        return path.substring(start);
    }

    private static List<String> distinct(String first, String second) {
        return first.equals(second) ? List.of(first) : List.of(first, second);
    }
}
