package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to a lease call.
 *
 * @param node                    the node's state after the call
 * @param reboot                  the node was rebooted and now holds nothing: drop every attempt and call again
 * @param renewed                 the attempts whose leases run another lease TTL from now
 * @param cancellations           the attempts to stop
 * @param leases                  the tasks granted to the node
 * @param heartbeatIntervalMillis as at registration (the service may have been reconfigured since)
 * @param leaseTtlMillis          as at registration
 */
public record LeaseAnswer(
        @JsonProperty("node") NodeStatus node,
        @JsonProperty("reboot") boolean reboot,
        @JsonProperty("renewed") List<HeldAttempt> renewed,
        @JsonProperty("cancellations") List<Cancellation> cancellations,
        @JsonProperty("leases") List<Lease> leases,
        @JsonProperty("heartbeatIntervalMillis") long heartbeatIntervalMillis,
        @JsonProperty("leaseTtlMillis") long leaseTtlMillis) {

    public LeaseAnswer {
        renewed = renewed == null ? List.of() : List.copyOf(renewed);
        cancellations = cancellations == null ? List.of() : List.copyOf(cancellations);
        leases = leases == null ? List.of() : List.copyOf(leases);
    }
}
