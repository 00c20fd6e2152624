package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code ExitOptions}: what the service does when a task exits a certain way.
 * jobAction takes effect only if the job's onTaskFailure is performexitoptionsjobaction.
 */
public record ExitOptions(
        @JsonProperty("jobAction") JobAction jobAction,
        @JsonProperty("dependencyAction") DependencyAction dependencyAction) {

    public ExitOptions withJobAction(JobAction jobAction) {
        return new ExitOptions(jobAction, dependencyAction);
    }

    public ExitOptions withDependencyAction(DependencyAction dependencyAction) {
        return new ExitOptions(jobAction, dependencyAction);
    }
}
