package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code ComputeNodeIdentityReference}: a user-assigned identity by ARM resource id. */
public record ComputeNodeIdentityReference(@JsonProperty("resourceId") String resourceId) {}
