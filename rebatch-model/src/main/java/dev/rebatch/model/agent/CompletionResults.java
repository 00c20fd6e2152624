package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The answer to a batched completion report: one result per completion, in the order they were sent. */
public record CompletionResults(@JsonProperty("results") List<CompletionResult> results) {

    public CompletionResults {
        results = results == null ? List.of() : List.copyOf(results);
    }
}
