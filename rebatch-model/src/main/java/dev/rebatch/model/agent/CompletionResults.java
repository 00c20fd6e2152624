package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to a batched completion report.
 *
 * @param results one result per completion, in the order they were sent
 * @param leases  the tasks granted for the slots the report offered ({@link CompletionReports#freeSlots}), as a lease
 *                call's answer grants them; empty when it offered none
 */
public record CompletionResults(
        @JsonProperty("results") List<CompletionResult> results,
        @JsonProperty("leases") List<Lease> leases) {

    public CompletionResults {
        results = results == null ? List.of() : List.copyOf(results);
        leases = leases == null ? List.of() : List.copyOf(leases);
    }

    /** An answer that grants nothing. */
    public CompletionResults(List<CompletionResult> results) {
        this(results, null);
    }
}
