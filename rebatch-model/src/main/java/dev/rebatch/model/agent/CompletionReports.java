package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of a batched completion report: the completions of several attempts of one node, at most
 * {@link #MAX_COMPLETIONS}, each judged on its own.
 *
 * @param freeSlots the slots this call offers for new tasks, granted in its answer ({@link CompletionResults#leases}):
 *                  only slots its own completions free, never slots offered to a lease call still out, so that no slot
 *                  is granted twice; {@code null} or 0 to offer none (the node's lease call asks for them)
 */
public record CompletionReports(
        @JsonProperty("completions") List<AttemptCompletion> completions,
        @JsonProperty("freeSlots") Integer freeSlots) {

    /** As many as a node has task slots at most. */
    public static final int MAX_COMPLETIONS = 256;

    public CompletionReports {
        completions = List.copyOf(completions);
    }

    /** A report that offers no slot. */
    public CompletionReports(List<AttemptCompletion> completions) {
        this(completions, null);
    }
}
