package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the service did with one completion of a batch: accepted it ({@code code} absent), or refused it with the code
 * and message a single completion report would have got (LeaseEpochStale, LeaseNotHeld, TaskNotFound, JobNotFound).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompletionResult(
        @JsonProperty("jobId") String jobId,
        @JsonProperty("taskId") String taskId,
        @JsonProperty("epoch") long epoch,
        @JsonProperty("code") String code,
        @JsonProperty("message") String message) {

    @JsonIgnore
    public boolean accepted() {
        return code == null;
    }
}
