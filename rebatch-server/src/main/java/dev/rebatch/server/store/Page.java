package dev.rebatch.server.store;

import java.util.List;

/** A page of resources and where the next one starts ({@code null} when this is the last page). */
public record Page(List<StoredResource> items, String nextAfterKey) {

    public Page {
        items = List.copyOf(items);
    }
}
