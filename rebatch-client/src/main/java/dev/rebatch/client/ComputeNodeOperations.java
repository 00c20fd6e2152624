package dev.rebatch.client;

import dev.rebatch.client.http.BatchRequest;
import dev.rebatch.client.http.BatchResponse;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.model.node.DisableComputeNodeSchedulingOption;
import dev.rebatch.model.node.NodeDisableScheduling;
import dev.rebatch.model.node.ComputeNodeRebootOption;
import dev.rebatch.model.node.NodeReboot;
import java.util.Set;
import java.util.stream.Stream;

/** The compute nodes of a pool. Obtain one from {@link BatchClient#nodes()}. */
public final class ComputeNodeOperations {

    private final BatchCalls calls;

    ComputeNodeOperations(BatchCalls calls) {
        this.calls = calls;
    }

    public ComputeNode get(String poolId, String nodeId, RequestOptions options) {
        return calls.get("get node " + nodeId + " of pool " + poolId,
                BatchRequest.of("GET", ResourcePaths.node(poolId, nodeId)), options, ComputeNode.class);
    }

    public Stream<ComputeNode> list(String poolId, ListOptions list, RequestOptions options) {
        return PagedList.stream(calls, "list nodes of pool " + poolId,
                BatchRequest.of("GET", ResourcePaths.pool(poolId) + "/nodes"), list, options, ComputeNode.class);
    }

    /**
     * Stops new tasks from going to the node; what happens to its running tasks is {@code option}. A retry told
     * NodeAlreadyInTargetSchedulingState succeeds when scheduling is disabled.
     */
    public void disableScheduling(String poolId, String nodeId, DisableComputeNodeSchedulingOption option,
            RequestOptions options) {
        BatchRequest request = BatchRequest.of("POST", ResourcePaths.node(poolId, nodeId) + "/disablescheduling")
                .withBody(calls.write(new NodeDisableScheduling(option)));
        calls.send("disable scheduling on node " + nodeId, request, options,
                schedulingRule(poolId, nodeId, "disabled"), response -> null);
    }

    public void enableScheduling(String poolId, String nodeId, RequestOptions options) {
        calls.send("enable scheduling on node " + nodeId,
                BatchRequest.of("POST", ResourcePaths.node(poolId, nodeId) + "/enablescheduling"), options,
                schedulingRule(poolId, nodeId, "enabled"), response -> null);
    }

    /** Restarts the node; its running tasks go back to the queue (or as {@code option} says). */
    public void reboot(String poolId, String nodeId, ComputeNodeRebootOption option, RequestOptions options) {
        BatchRequest request = BatchRequest.of("POST", ResourcePaths.node(poolId, nodeId) + "/reboot")
                .withBody(calls.write(new NodeReboot(option)));
        calls.send("reboot node " + nodeId, request, options);
    }

    private EchoRule<BatchResponse> schedulingRule(String poolId, String nodeId, String target) {
        return EchoRule.of(refusal -> {
            Confirmations.reached("node " + nodeId, refusal,
                    () -> calls.wireName(get(poolId, nodeId, RequestOptions.DEFAULTS).schedulingState()),
                    Set.of(target));
            return null;
        }, "NodeAlreadyInTargetSchedulingState");
    }
}
