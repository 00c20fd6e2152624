package dev.rebatch.server.api.pools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.http.EntityResponses;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;

/** A stored pool as the API shows it (spec CloudPool): the stored document plus the service-owned properties. */
final class PoolView {

    private PoolView() {}

    static String url(String baseUrl, String poolId) {
        return baseUrl + "/pools/" + poolId;
    }

    static ObjectNode of(StoredResource pool, String baseUrl) {
        ObjectNode stored = Json.readStored(pool.body());
        ObjectNode view = Json.MAPPER.createObjectNode();
        view.put("id", pool.key().id());
        if (stored.has("displayName")) {
            view.set("displayName", stored.get("displayName"));
        }
        view.put("url", url(baseUrl, pool.key().id()));
        view.put("eTag", EntityResponses.etag(pool));
        view.put("lastModified", Timestamps.iso(pool.lastModified()));
        view.put("creationTime", Timestamps.iso(pool.creationTime()));
        view.put("state", pool.state());
        view.put("stateTransitionTime", Timestamps.iso(pool.stateTransitionTime()));
        stored.remove("id");
        stored.remove("displayName");
        view.setAll(stored);
        return view;
    }
}
