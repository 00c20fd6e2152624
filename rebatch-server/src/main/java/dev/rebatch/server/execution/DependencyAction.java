package dev.rebatch.server.execution;

import java.util.Locale;

/** What a completed task means for the tasks that depend on it (spec ExitOptions.dependencyAction). */
public enum DependencyAction {
    /** The dependency is met: once all of a dependent's dependencies are met, it may run. */
    SATISFY,
    /** The dependency is never met while the task stays completed: its dependents wait. */
    BLOCK;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DependencyAction fromWire(String action) {
        return valueOf(action.toUpperCase(Locale.ROOT));
    }
}
