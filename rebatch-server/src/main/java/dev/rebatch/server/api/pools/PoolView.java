package dev.rebatch.server.api.pools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.ResourceViews;
import dev.rebatch.server.store.StoredResource;

/** A stored pool as the API shows it (spec CloudPool): the stored document plus the service-owned properties. */
final class PoolView {

    private PoolView() {}

    static String url(String baseUrl, String poolId) {
        return baseUrl + "/pools/" + poolId;
    }

    static ObjectNode of(StoredResource pool, String baseUrl) {
        return ResourceViews.of(pool, url(baseUrl, pool.key().id()));
    }
}
