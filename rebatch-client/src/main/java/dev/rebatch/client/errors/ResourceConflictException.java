package dev.rebatch.client.errors;

import java.util.List;

/**
 * A retried create was told the resource exists, after an earlier attempt whose outcome is unknown, and the
 * resource that exists is not the one this call sent: someone else created it. {@link #differences()} names each
 * property that differs, so the caller can decide whether to delete it, rename theirs, or accept it.
 */
public final class ResourceConflictException extends BatchServiceException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> differences;

    public ResourceConflictException(BatchServiceException exists, String resource, List<String> differences) {
        super(exists, resource + " already exists and differs from what this call sent, so another client created it: "
                + String.join("; ", differences));
        this.differences = List.copyOf(differences);
    }

    /** "priority: sent 100, found 0", one per differing property. */
    public List<String> differences() {
        return differences;
    }
}
