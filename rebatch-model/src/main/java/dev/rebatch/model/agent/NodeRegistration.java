package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * The answer to a registration: who the agent now is. {@code nodeToken} is given this once; every later call of the
 * node carries it (header {@code x-rebatch-node-token}).
 *
 * @param nodeId                  the compute node's id ({@code tvmps_...})
 * @param nodeToken               the node's secret
 * @param poolId                  the pool, spelled as the service stores it
 * @param nodeUrl                 the node's URL in the Batch API
 * @param taskSlotsPerNode        the pool's taskSlotsPerNode
 * @param taskSlots               the slots this node offers
 * @param heartbeatIntervalMillis how often the agent must call for leases at the least, and the longest a lease call
 *                                waits
 * @param leaseTtlMillis          how long a lease lasts after the call that renewed it
 * @param filesKey                the secret the service sends (header {@code x-rebatch-files-key}) with every request
 *                                to the agent's files URL; {@code null} from a service that does not send one
 */
public record NodeRegistration(
        @JsonProperty("nodeId") String nodeId,
        @JsonProperty("nodeToken") String nodeToken,
        @JsonProperty("poolId") String poolId,
        @JsonProperty("nodeUrl") String nodeUrl,
        @JsonProperty("taskSlotsPerNode") int taskSlotsPerNode,
        @JsonProperty("taskSlots") int taskSlots,
        @JsonProperty("heartbeatIntervalMillis") long heartbeatIntervalMillis,
        @JsonProperty("leaseTtlMillis") long leaseTtlMillis,
        @JsonProperty("filesKey") String filesKey) {

    public Duration heartbeatInterval() {
        return Duration.ofMillis(heartbeatIntervalMillis);
    }

    public Duration leaseTtl() {
        return Duration.ofMillis(leaseTtlMillis);
    }

    /** Without the token, for logs. */
    @Override
    public String toString() {
        return "NodeRegistration[nodeId=" + nodeId + ", poolId=" + poolId + ", taskSlots=" + taskSlots
                + ", heartbeatIntervalMillis=" + heartbeatIntervalMillis + ", leaseTtlMillis=" + leaseTtlMillis
                + ", filesKey=" + (filesKey == null ? "none" : "***") + "]";
    }
}
