package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One page of a list operation; mirrors the spec's {@code *ListResult} definitions (CloudJobListResult, ...).
 * Read it with {@link BatchJson#listPageOf(Class)} or a {@code TypeReference<ListPage<CloudJob>>}.
 *
 * @param value    the items of this page
 * @param nextLink the URL of the next page ({@code odata.nextLink}), or null on the last page
 */
public record ListPage<T>(
        @JsonProperty("value") List<T> value,
        @JsonProperty("odata.nextLink") String nextLink) {

    public ListPage {
        value = value == null ? null : List.copyOf(value);
    }
}
