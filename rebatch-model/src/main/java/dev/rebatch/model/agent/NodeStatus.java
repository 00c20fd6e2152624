package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The node as the service sees it after a lease call.
 *
 * @param state           the compute node state ({@code idle}, {@code running}, {@code rebooting}...)
 * @param schedulingState {@code enabled}, or {@code disabled}: nothing is granted until it is enabled
 */
public record NodeStatus(
        @JsonProperty("state") String state,
        @JsonProperty("schedulingState") String schedulingState) {}
