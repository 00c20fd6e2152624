package dev.rebatch.server.api.pools;

import java.util.Locale;

/** Batch pool states (spec PoolState), spelled on the wire in lowercase. Kept in the store's state column. */
public enum PoolState {
    ACTIVE,
    DELETING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PoolState fromWire(String state) {
        return valueOf(state.toUpperCase(Locale.ROOT));
    }
}
