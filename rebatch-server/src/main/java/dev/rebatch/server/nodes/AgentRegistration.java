package dev.rebatch.server.nodes;

/**
 * What a node agent says about itself when it joins a pool.
 *
 * @param hostname      the machine it runs on (kept for operators; Batch shows no host name)
 * @param agentFilesUrl where the agent serves task files, or {@code null}
 * @param taskSlots     how many task slots the agent offers, or {@code null} for the pool's taskSlotsPerNode; the node
 *                      gets the smaller of the two
 * @param agentVersion  the agent's version, or {@code null}; shown as nodeAgentInfo.version
 */
public record AgentRegistration(String hostname, String agentFilesUrl, Integer taskSlots, String agentVersion) {}
