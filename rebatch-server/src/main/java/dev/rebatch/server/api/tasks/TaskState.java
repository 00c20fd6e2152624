package dev.rebatch.server.api.tasks;

import java.util.Locale;

/** Batch task states (spec TaskState), spelled on the wire in lowercase. */
public enum TaskState {
    ACTIVE,
    PREPARING,
    RUNNING,
    COMPLETED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskState fromWire(String state) {
        return valueOf(state.toUpperCase(Locale.ROOT));
    }
}
