package dev.rebatch.server.nodes;

import dev.rebatch.server.store.StoredResource;

/**
 * A node that just joined a pool.
 *
 * @param node             the stored node
 * @param token            the node's secret, returned this once and never stored (only its hash is)
 * @param filesKey         the secret the service presents to the agent's file server ({@link ComputeNodes#filesKey})
 * @param taskSlotsPerNode the pool's taskSlotsPerNode
 * @param taskSlots        the slots this node offers: the smaller of the pool's and the agent's
 */
public record Registration(StoredResource node, String token, String filesKey, int taskSlotsPerNode,
        int taskSlots) {}
