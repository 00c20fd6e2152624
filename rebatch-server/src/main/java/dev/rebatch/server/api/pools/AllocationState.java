package dev.rebatch.server.api.pools;

import java.util.Locale;

/**
 * Whether a pool is changing size (spec AllocationState), spelled on the wire in lowercase. Kept in the pool's
 * document, not a store column: the state column holds {@link PoolState}, and nothing filters on allocation yet.
 */
public enum AllocationState {
    STEADY,
    RESIZING,
    STOPPING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AllocationState fromWire(String state) {
        return valueOf(state.toUpperCase(Locale.ROOT));
    }
}
