package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code OnAllTasksComplete}: what the service does when all tasks of a job are complete. */
public enum OnAllTasksComplete {
    @JsonProperty("noaction") NO_ACTION,
    @JsonProperty("terminatejob") TERMINATE_JOB,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
