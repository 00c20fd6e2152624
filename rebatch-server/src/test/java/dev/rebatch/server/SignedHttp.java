package dev.rebatch.server;

import dev.rebatch.model.ApiVersion;
import dev.rebatch.server.auth.JavaSdkSigner;
import dev.rebatch.server.auth.SignedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Plain HTTP to the running service (JDK HttpClient), each request Shared-Key signed by the official Java SDK's own
 * signer, so that tests can see what the SDK hides: status codes, headers, empty bodies.
 */
public final class SignedHttp {

    /** Headers the JDK client sets itself and refuses from callers; it sends the same values the SDK signed. */
    private static final Set<String> SET_BY_CLIENT = Set.of("content-length", "host", "connection");

    private final HttpClient client = HttpClient.newHttpClient();
    private final String endpoint;
    private final String account;
    private final String key;

    public SignedHttp(String endpoint, String account, String key) {
        this.endpoint = endpoint;
        this.account = account;
        this.key = key;
    }

    /** Sends {@code body} (null for none) with any extra headers (name, value, name, value...), signed. */
    public HttpResponse<String> send(String method, String path, String body, String... extraHeaders) throws Exception {
        String apiVersion = ApiVersion.SUPPORTED.get(0);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < extraHeaders.length; i += 2) {
            headers.put(extraHeaders[i], extraHeaders[i + 1]); // conditional headers are signed, so they go in first
        }
        SignedRequest signed = JavaSdkSigner.sign(method, path, Map.of("api-version", apiVersion), headers, body,
                account, key);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint + path + "?api-version=" + apiVersion))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        signed.headers().forEach((name, value) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                builder.header(name, value);
            }
        });
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
