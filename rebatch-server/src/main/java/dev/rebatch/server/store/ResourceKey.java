package dev.rebatch.server.store;

import java.util.Locale;
import java.util.Objects;

/**
 * Identifies one resource. Batch ids are case-preserving and case-insensitive, so the store matches on
 * {@link #idKey()}, the id lowercased.
 *
 * @param account  the owning account; no query ever crosses accounts
 * @param kind     the resource kind
 * @param parentId the job of a task, the pool of a node, or "" for pools and jobs
 * @param id       the id as the client spelled it
 */
public record ResourceKey(String account, ResourceKind kind, String parentId, String id) {

    public ResourceKey {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(id, "id");
    }

    public static ResourceKey topLevel(String account, ResourceKind kind, String id) {
        return new ResourceKey(account, kind, "", id);
    }

    /** The id the store compares: lowercased, because ids are case-insensitive. */
    public String idKey() {
        return lower(id);
    }

    /** The parent id the store compares. */
    public String parentKey() {
        return lower(parentId);
    }

    public static String lower(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
