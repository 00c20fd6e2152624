package dev.rebatch.server.store;

/**
 * One page of a listing, in id order (case-insensitive), so that paging stays correct while items are added:
 * the next page starts after the last id of this one.
 *
 * @param account  whose resources
 * @param kind     which kind
 * @param parentId the job (for tasks) or pool (for nodes), or ""
 * @param filter   the translated {@code $filter}
 * @param afterKey list ids greater than this lowercased id; {@code null} for the first page
 * @param limit    at most this many items (1..1000)
 */
public record ListQuery(String account, ResourceKind kind, String parentId, SqlCondition filter, String afterKey,
        int limit) {}
