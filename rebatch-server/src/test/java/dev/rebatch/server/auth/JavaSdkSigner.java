package dev.rebatch.server.auth;

import com.microsoft.azure.batch.auth.BatchSharedKeyCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Signs a request with the official Java SDK (com.microsoft.azure:azure-batch:11.2.0): its own
 * {@code BatchSharedKeyCredentials} installs its package-private {@code BatchSharedKeyCredentialsInterceptor} in an
 * OkHttpClient, and an interceptor after it catches the signed request instead of sending it.
 */
public final class JavaSdkSigner {

    /** What Retrofit's {@code @Headers} put on every Batch call of java11.2. */
    static final String CONTENT_TYPE = "application/json; odata=minimalmetadata; charset=utf-8";

    private JavaSdkSigner() {}

    /**
     * The request as the SDK signs it, with these query parameters, headers and body (null for none), and
     * Authorization added: for tests that send plain HTTP the server must authenticate.
     */
    public static SignedRequest sign(String method, String path, Map<String, String> query,
            Map<String, String> headers, String body, String accountName, String base64Key) {
        return sign(new ClientRequest(method, path, query, headers, body), accountName, base64Key);
    }

    /** The request as the server would receive it after the SDK signed it. */
    static SignedRequest sign(ClientRequest request, String accountName, String base64Key) {
        Request signed = signWithSdk(toOkHttp(request, accountName), accountName, base64Key);
        return received(signed);
    }

    /** Built the way Retrofit builds java11.2's calls: @Query values through addQueryParameter, an empty body
     * for a POST without one, none for GET and DELETE. */
    private static Request toOkHttp(ClientRequest request, String accountName) {
        HttpUrl.Builder url = HttpUrl.get("https://" + accountName + ".westeurope.batch.azure.com").newBuilder()
                .encodedPath(request.path());
        request.query().forEach(url::addQueryParameter);
        MediaType json = MediaType.get(CONTENT_TYPE);
        RequestBody body = request.body() != null ? RequestBody.create(json, request.body())
                : request.method().equals("POST") ? RequestBody.create(null, new byte[0]) : null;
        Request.Builder builder = new Request.Builder().url(url.build()).method(request.method(), body);
        if (body == null) {
            builder.header("Content-Type", CONTENT_TYPE); // Retrofit adds the @Headers Content-Type as a header
        }
        request.headers().forEach(builder::header);
        return builder.build();
    }

    private static Request signWithSdk(Request request, String accountName, String base64Key) {
        AtomicReference<Request> signed = new AtomicReference<>();
        OkHttpClient.Builder client = new OkHttpClient.Builder();
        new BatchSharedKeyCredentials("https://" + accountName + ".westeurope.batch.azure.com", accountName, base64Key)
                .applyCredentialsFilter(client);
        client.addInterceptor(chain -> {
            signed.set(chain.request());
            return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(204)
                    .message("No Content").body(ResponseBody.create(null, new byte[0])).build();
        });
        try {
            client.build().newCall(request).execute().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return signed.get();
    }

    /** Adds what okhttp's BridgeInterceptor adds on the way out: Content-Type and Content-Length of the body. */
    private static SignedRequest received(Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().names().forEach(name -> headers.put(name, request.header(name)));
        long length = 0;
        if (request.body() != null) {
            try {
                length = request.body().contentLength();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            headers.put("Content-Length", Long.toString(length));
            if (request.body().contentType() != null) {
                headers.put("Content-Type", request.body().contentType().toString());
            }
        }
        HttpUrl url = request.url();
        return new SignedRequest(request.method(), url.encodedPath(), url.encodedQuery(), headers, length);
    }
}
