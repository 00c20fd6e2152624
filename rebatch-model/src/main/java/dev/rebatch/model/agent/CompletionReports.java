package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of a batched completion report: the completions of several attempts of one node, at most
 * {@link #MAX_COMPLETIONS}, each judged on its own.
 */
public record CompletionReports(@JsonProperty("completions") List<AttemptCompletion> completions) {

    /** As many as a node has task slots at most. */
    public static final int MAX_COMPLETIONS = 256;

    public CompletionReports {
        completions = List.copyOf(completions);
    }
}
