package dev.rebatch.server.api.jobs;

import java.util.Locale;

/** Batch job states (spec JobState), spelled on the wire in lowercase. */
public enum JobState {
    ACTIVE,
    DISABLING,
    DISABLED,
    ENABLING,
    TERMINATING,
    COMPLETED,
    DELETING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobState fromWire(String state) {
        return valueOf(state.toUpperCase(Locale.ROOT));
    }
}
