package dev.rebatch.server.store;

/** A create found a resource with the same id (compared case-insensitively); carries the existing one. */
public final class ResourceExistsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient StoredResource existing;

    public ResourceExistsException(StoredResource existing) {
        super(existing.key().kind() + " " + existing.key().id() + " already exists");
        this.existing = existing;
    }

    public StoredResource existing() {
        return existing;
    }
}
