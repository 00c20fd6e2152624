package dev.rebatch.server.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A request as a client builds it before signing: the path already encoded, the query still decoded. The
 * client-style signers work on this form, as the real clients do, so they share no code with {@link StringToSign}.
 *
 * @param body null when the request has none
 */
record ClientRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
                     String body) {

    ClientRequest {
        query = new LinkedHashMap<>(query);
        headers = new LinkedHashMap<>(headers);
    }

    /** The query as the clients put it on the wire (spaces as %20). */
    String encodedQuery() {
        return query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    int bodyLength() {
        return body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
    }

    /** What the server receives once the client has added this Authorization header. */
    SignedRequest received(String authorization) {
        Map<String, String> wireHeaders = new LinkedHashMap<>(headers);
        wireHeaders.put("Authorization", authorization);
        return new SignedRequest(method, path, encodedQuery(), wireHeaders, bodyLength());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
