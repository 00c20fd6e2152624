package dev.rebatch.node;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a node knows about itself and its account: everything a task's {@code AZ_BATCH_*} environment says about where
 * it runs.
 *
 * @param accountName the Batch account, e.g. {@code myaccount}
 * @param accountUrl  the account endpoint tasks can call back, e.g. {@code https://myaccount.example.com}
 * @param poolId      the pool this node belongs to
 * @param nodeId      this node's id
 * @param nodeRoot    the root of all the node's Batch directories ({@code AZ_BATCH_NODE_ROOT_DIR}); made absolute
 * @param dedicated   {@code true} for a dedicated node, {@code false} for a spot/low-priority one
 */
public record NodeContext(String accountName, String accountUrl, String poolId, String nodeId, Path nodeRoot,
        boolean dedicated) {

    public NodeContext {
        Objects.requireNonNull(accountName, "accountName");
        Objects.requireNonNull(accountUrl, "accountUrl");
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(nodeId, "nodeId");
        // Tasks run in other directories; a relative root would mean something else to each of them.
        nodeRoot = nodeRoot.toAbsolutePath().normalize();
    }

    public NodeLayout layout() {
        return new NodeLayout(nodeRoot);
    }
}
