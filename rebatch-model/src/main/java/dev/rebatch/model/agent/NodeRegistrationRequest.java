package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The body of a registration: a node agent joins a pool.
 *
 * <p>A registration that names its node ({@code nodeId} and {@code nodeToken}, chosen by the agent: see
 * {@link #withNewNode()}) can be sent again after its answer was lost: the service answers the same node and makes no
 * other. One that names none makes a new node at every call.
 *
 * @param hostname      the agent's host name (1 to 255 characters); shows as the node's name in logs
 * @param agentFilesUrl where the agent serves its task files to the service (http or https), or {@code null}
 * @param taskSlots     how many task slots the agent offers (1 to 256); the node gets the smaller of this and the
 *                      pool's taskSlotsPerNode; {@code null} for the pool's
 * @param agentVersion  the agent's version, shown as the node's nodeAgentInfo.version
 * @param nodeId        the node's id as the agent chose it ({@code tvmps_} and 32 lowercase hex digits), or
 *                      {@code null} for one the service draws
 * @param nodeToken     the node's secret as the agent chose it (43 to 128 base64url characters), with {@code nodeId}
 */
public record NodeRegistrationRequest(
        @JsonProperty("hostname") String hostname,
        @JsonProperty("agentFilesUrl") String agentFilesUrl,
        @JsonProperty("taskSlots") Integer taskSlots,
        @JsonProperty("agentVersion") String agentVersion,
        @JsonProperty("nodeId") String nodeId,
        @JsonProperty("nodeToken") String nodeToken) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A registration that names no node: the service draws the node's id and token. */
    public NodeRegistrationRequest(String hostname, String agentFilesUrl, Integer taskSlots, String agentVersion) {
        this(hostname, agentFilesUrl, taskSlots, agentVersion, null, null);
    }

    /** This registration naming a new node: 128 random bits of node id, 256 of token. */
    public NodeRegistrationRequest withNewNode() {
        return new NodeRegistrationRequest(hostname, agentFilesUrl, taskSlots, agentVersion,
                "tvmps_" + HexFormat.of().formatHex(randomBytes(16)),
                Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32)));
    }

    /** Whether it names its node, which makes it safe to send again. */
    public boolean namesItsNode() {
        return nodeId != null && nodeToken != null;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Without the token, for logs. */
    @Override
    public String toString() {
        return "NodeRegistrationRequest[hostname=" + hostname + ", agentFilesUrl=" + agentFilesUrl + ", taskSlots="
                + taskSlots + ", agentVersion=" + agentVersion + ", nodeId=" + nodeId + ", nodeToken="
                + (nodeToken == null ? "none" : "***") + "]";
    }
}
