package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of a registration: a node agent joins a pool.
 *
 * @param hostname      the agent's host name (1 to 255 characters); shows as the node's name in logs
 * @param agentFilesUrl where the agent serves its task files to the service (http or https), or {@code null}
 * @param taskSlots     how many task slots the agent offers (1 to 256); the node gets the smaller of this and the
 *                      pool's taskSlotsPerNode; {@code null} for the pool's
 * @param agentVersion  the agent's version, shown as the node's nodeAgentInfo.version
 */
public record NodeRegistrationRequest(
        @JsonProperty("hostname") String hostname,
        @JsonProperty("agentFilesUrl") String agentFilesUrl,
        @JsonProperty("taskSlots") Integer taskSlots,
        @JsonProperty("agentVersion") String agentVersion) {}
