package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of a start report: the attempt under {@code epoch} runs. */
public record AttemptStarted(@JsonProperty("epoch") long epoch) {}
