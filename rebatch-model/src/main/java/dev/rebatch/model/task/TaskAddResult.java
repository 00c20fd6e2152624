package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.BatchError;
import java.time.Instant;

/**
 * Mirrors spec definition {@code TaskAddResult}: the outcome for one task of Task_AddCollection.
 */
public record TaskAddResult(
        @JsonProperty("status") TaskAddStatus status,
        @JsonProperty("taskId") String taskId,
        @JsonProperty("eTag") String eTag,
        @JsonProperty("lastModified") Instant lastModified,
        @JsonProperty("location") String location,
        @JsonProperty("error") BatchError error) {}
