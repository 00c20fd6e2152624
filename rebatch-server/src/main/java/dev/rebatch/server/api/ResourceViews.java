package dev.rebatch.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.EntityResponses;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;

/**
 * The shape every Batch resource shares on the wire: id, displayName, url, eTag, lastModified, creationTime,
 * state and stateTransitionTime (owned by the service, from the store's columns), then the stored document.
 */
public final class ResourceViews {

    private ResourceViews() {}

    public static ObjectNode of(StoredResource resource, String url) {
        return of(resource, Json.readStored(resource.body()), url);
    }

    /**
     * The view of {@code resource} whose stored document the caller has parsed already ({@code stored}, left as it
     * is: the view shares its values).
     */
    public static ObjectNode of(StoredResource resource, ObjectNode stored, String url) {
        ObjectNode view = Json.MAPPER.createObjectNode();
        view.put("id", resource.key().id());
        if (stored.has("displayName")) {
            view.set("displayName", stored.get("displayName"));
        }
        view.put("url", url);
        view.put("eTag", EntityResponses.etag(resource));
        view.put("lastModified", Timestamps.iso(resource.lastModified()));
        view.put("creationTime", Timestamps.iso(resource.creationTime()));
        view.put("state", resource.state());
        view.put("stateTransitionTime", Timestamps.iso(resource.stateTransitionTime()));
        stored.properties().forEach(property -> {
            if (!property.getKey().equals("id") && !property.getKey().equals("displayName")) {
                view.set(property.getKey(), property.getValue());
            }
        });
        return view;
    }
}
