package dev.rebatch.server.store;

/**
 * A lock on a store that at most one service instance holds at a time and that its holder's death frees: the
 * instance holding it does what only one instance of a store may do (run the store's local node agents). Held
 * until {@link #close}, or until the holder loses it (its PostgreSQL session ended), which the next {@link #hold}
 * reports.
 */
public interface InstanceLock extends AutoCloseable {

    /**
     * Takes the lock when it is free, or confirms that this instance still holds it. Never throws: a store that
     * cannot be reached counts as not held.
     *
     * @return whether this instance holds the lock now
     */
    boolean hold();

    /** What the lock is, for the start banner and the logs. */
    String describe();

    /** Releases the lock if held, and whatever it keeps open. */
    @Override
    void close();

    /**
     * The lock of a store that only one service instance can open at a time (the embedded store, whose file is in the
     * instance's data directory): always held.
     */
    static InstanceLock alwaysHeld(String description) {
        return new InstanceLock() {
            @Override
            public boolean hold() {
                return true;
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public void close() {}
        };
    }
}
