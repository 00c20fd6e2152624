package dev.rebatch.client;

/**
 * What a list call asks for: an OData {@code $filter} ("state eq 'active'"), a {@code $select} of properties, and
 * {@code maxresults}, the page size (1 to 1000; the stream follows odata.nextLink from page to page either way).
 * {@code null} components are not sent.
 */
public record ListOptions(String filter, String select, Integer maxResults) {

    public static final ListOptions ALL = new ListOptions(null, null, null);

    public ListOptions {
        if (maxResults != null && (maxResults < 1 || maxResults > 1000)) {
            throw new IllegalArgumentException("maxResults must be between 1 and 1000, was " + maxResults);
        }
    }

    public static ListOptions filter(String filter) {
        return new ListOptions(filter, null, null);
    }

    public ListOptions withFilter(String newFilter) {
        return new ListOptions(newFilter, select, maxResults);
    }

    public ListOptions withSelect(String newSelect) {
        return new ListOptions(filter, newSelect, maxResults);
    }

    public ListOptions withMaxResults(int newMaxResults) {
        return new ListOptions(filter, select, newMaxResults);
    }
}
