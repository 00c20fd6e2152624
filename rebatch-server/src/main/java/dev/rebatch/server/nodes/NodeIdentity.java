package dev.rebatch.server.nodes;

import java.util.regex.Pattern;

/**
 * The node id and token an agent chose for itself before it registered. Because the agent knows both before the call,
 * a registration whose answer was lost can be sent again and answers the same node, and the agent can make that node
 * leave even if it never heard the answer. The token is as secret as one the service draws: only its hash is stored.
 *
 * @param nodeId a Batch-like node id, {@code tvmps_} and 32 lowercase hex digits (128 random bits)
 * @param token  the node's secret: 43 to 128 base64url characters (at least 256 random bits)
 */
public record NodeIdentity(String nodeId, String token) {

    /** Lowercase only: node ids compare case-insensitively, so one spelling per node keeps the repeat exact. */
    public static final Pattern NODE_ID = Pattern.compile("tvmps_[0-9a-f]{32}");
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43,128}");

    public NodeIdentity {
        if (!NODE_ID.matcher(nodeId).matches() || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("Not a node id and token an agent may choose");
        }
    }

    /** Without the token, for logs. */
    @Override
    public String toString() {
        return "NodeIdentity[nodeId=" + nodeId + "]";
    }
}
