package dev.rebatch.server.store;

/** An update was based on a version that is no longer current: another writer changed the resource first. */
public final class StaleVersionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StaleVersionException(ResourceKey key, long expectedVersion) {
        super(key.kind() + " " + key.id() + " changed since version " + expectedVersion);
    }
}
