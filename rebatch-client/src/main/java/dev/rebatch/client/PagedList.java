package dev.rebatch.client;

import com.fasterxml.jackson.databind.JavaType;
import dev.rebatch.client.http.BatchRequest;
import dev.rebatch.model.common.ListPage;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A list operation as a lazy {@link Stream}: the first page is fetched when the stream is first consumed, and each
 * next page only when the previous one is used up, following odata.nextLink. Every page is its own call through the
 * retry handler, so a failure on page 7 retries page 7, not the whole listing.
 */
final class PagedList<T> implements Spliterator<T> {

    private final BatchCalls calls;
    private final String operation;
    private final RequestOptions options;
    private final JavaType pageType;
    /** The request for the next page while it is known; the first page's until that is fetched. */
    private BatchRequest next;
    /** The service's odata.nextLink of the page being consumed, not yet checked or followed. */
    private String nextLink;
    private Iterator<T> current = List.<T>of().iterator();

    private PagedList(BatchCalls calls, String operation, BatchRequest first, RequestOptions options,
            Class<T> elementType) {
        this.calls = calls;
        this.operation = operation;
        this.options = options;
        this.pageType = calls.json().getTypeFactory().constructParametricType(ListPage.class, elementType);
        this.next = first;
    }

    /** The items of {@code first} and every page after it. */
    static <T> Stream<T> stream(BatchCalls calls, String operation, BatchRequest first, ListOptions list,
            RequestOptions options, Class<T> elementType) {
        BatchRequest request = first.withQuery("$filter", list.filter()).withQuery("$select", list.select())
                .withQuery("maxresults", list.maxResults());
        return StreamSupport.stream(new PagedList<>(calls, operation, request, options, elementType), false);
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
        while (!current.hasNext()) {
            if (next == null) {
                if (nextLink == null) {
                    return false;
                }
                // The link is checked when the next page is needed, not when the page that carries it arrives:
                // the items already received are delivered first, and a stream the caller stops early never fails
                // over a link it would not have followed.
                next = followLink(nextLink);
                nextLink = null;
            }
            ListPage<T> page = calls.read(calls.send(operation, next, options), pageType);
            next = null;
            current = page.value() == null ? List.<T>of().iterator() : page.value().iterator();
            nextLink = page.nextLink();
        }
        action.accept(current.next());
        return true;
    }

    /**
     * The request for an odata.nextLink. The link must point at the client's own endpoint: a signed request is
     * never sent anywhere else.
     */
    private BatchRequest followLink(String nextLink) {
        URI link = URI.create(nextLink);
        URI endpoint = calls.transport().endpoint();
        if (link.isAbsolute() && !(sameText(link.getScheme(), endpoint.getScheme())
                && sameText(link.getHost(), endpoint.getHost()) && port(link) == port(endpoint))) {
            throw new IllegalStateException("The service's odata.nextLink points at " + link.getScheme() + "://"
                    + link.getAuthority() + ", not at the endpoint " + endpoint + "; not following it.");
        }
        BatchRequest request = BatchRequest.of("GET", link.getRawPath());
        String rawQuery = link.getRawQuery();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                if (!name.equalsIgnoreCase("api-version")) {
                    request = request.withQuery(name, value);
                }
            }
        }
        return request;
    }

    private static boolean sameText(String a, String b) {
        return a != null && a.equalsIgnoreCase(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public Spliterator<T> trySplit() {
        return null; // pages come one after another
    }

    @Override
    public long estimateSize() {
        return Long.MAX_VALUE;
    }

    @Override
    public int characteristics() {
        return Spliterator.ORDERED | Spliterator.NONNULL;
    }
}
