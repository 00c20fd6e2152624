package dev.rebatch.server.execution;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the service responds to one exit condition (spec ExitOptions). Either action may be absent (null), in which
 * case {@link ExitConditions#resolve} supplies Batch's default for the condition.
 */
public record ExitOptions(JobAction jobAction, DependencyAction dependencyAction) {

    /** Options that specify nothing: every action takes its default. */
    public static final ExitOptions UNSPECIFIED = new ExitOptions(null, null);

    /** The options stored in a (validated) task document, or {@link #UNSPECIFIED} when absent. */
    public static ExitOptions of(JsonNode json) {
        if (json == null || !json.isObject()) {
            return UNSPECIFIED;
        }
        JsonNode job = json.get("jobAction");
        JsonNode dependency = json.get("dependencyAction");
        return new ExitOptions(job != null && job.isTextual() ? JobAction.fromWire(job.asText()) : null,
                dependency != null && dependency.isTextual() ? DependencyAction.fromWire(dependency.asText()) : null);
    }
}
