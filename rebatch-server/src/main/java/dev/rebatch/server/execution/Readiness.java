package dev.rebatch.server.execution;

/** Whether a task with dependencies may be scheduled (see {@link TaskDependencies#readiness}). */
public enum Readiness {
    /** Every dependency is satisfied: the task may run. */
    READY,
    /** Some parent has not completed, or does not exist yet: the task waits. */
    WAITING,
    /**
     * A parent completed with dependencyAction block: the task stays active and is never scheduled ("If any of
     * those Tasks fail and exhaust their retry counts, this Task will never be scheduled", spec
     * TaskAddParameter.dependsOn; "Batch does not yet support cancellation of dependent tasks", spec
     * ExitOptions.dependencyAction). Only reactivating that parent can change it.
     */
    BLOCKED
}
