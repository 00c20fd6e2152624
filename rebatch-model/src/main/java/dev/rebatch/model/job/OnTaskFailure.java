package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code OnTaskFailure}: what the service does when a task of a job fails. */
public enum OnTaskFailure {
    @JsonProperty("noaction") NO_ACTION,
    @JsonProperty("performexitoptionsjobaction") PERFORM_EXIT_OPTIONS_JOB_ACTION,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
