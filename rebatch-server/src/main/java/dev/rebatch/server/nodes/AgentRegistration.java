package dev.rebatch.server.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.Json;

/**
 * What a node agent says about itself when it joins a pool.
 *
 * @param hostname      the machine it runs on (kept for operators; Batch shows no host name)
 * @param agentFilesUrl where the agent serves task files, or {@code null}
 * @param taskSlots     how many task slots the agent offers, or {@code null} for the pool's taskSlotsPerNode; the node
 *                      gets the smaller of the two
 * @param agentVersion  the agent's version, or {@code null}; shown as nodeAgentInfo.version
 * @param identity      the node id and token the agent chose, which make a repeat of this registration answer the same
 *                      node; {@code null} from an agent that lets the service choose (each call then makes a node)
 */
public record AgentRegistration(String hostname, String agentFilesUrl, Integer taskSlots, String agentVersion,
        NodeIdentity identity) {

    /**
     * What a repeat of this registration must say again, as the node keeps it: everything but the token, which is
     * compared by its hash.
     */
    ObjectNode request() {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("hostname", hostname);
        request.put("agentFilesUrl", agentFilesUrl);
        request.put("taskSlots", taskSlots);
        request.put("agentVersion", agentVersion);
        return request;
    }
}
