package dev.rebatch.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The stored document of a compute node: the spec's ComputeNode properties the service keeps, plus what only the
 * service may see (the agent's token hash, host and slots, and what its registration asked for, under {@value #AGENT},
 * which no view shows).
 */
public final class ComputeNodes {

    /** Node states (spec ComputeNodeState) the service moves nodes through. */
    public static final String IDLE = "idle";
    public static final String RUNNING = "running";
    /** Scheduling disabled and no task running. */
    public static final String OFFLINE = "offline";
    public static final String REBOOTING = "rebooting";
    /** The service lost contact: the node has not called for longer than a lease lasts (spec: "unknown"). */
    public static final String UNKNOWN = "unknown";

    /** The service's own part of the document. */
    public static final String AGENT = "rebatchAgent";
    /** How many entries recentTasks keeps. */
    static final int RECENT_TASKS = 10;

    private ComputeNodes() {}

    /** A Batch-like node id: {@code tvmps_} and 32 random hex digits. */
    static String newId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "tvmps_" + HexFormat.of().formatHex(bytes);
    }

    static ObjectNode newDocument(String nodeId, ObjectNode pool, AgentRegistration agent, int taskSlots,
            String ipAddress, String tokenHash, String filesKey, Instant now) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", nodeId);
        node.put("schedulingState", "enabled");
        node.put("lastBootTime", Timestamps.iso(now));
        node.put("allocationTime", Timestamps.iso(now));
        if (ipAddress != null) {
            node.put("ipAddress", ipAddress);
        }
        node.put("affinityId", "TVM:" + nodeId);
        node.put("vmSize", pool.path("vmSize").asText("").toLowerCase(Locale.ROOT));
        node.put("totalTasksRun", 0);
        node.put("totalTasksSucceeded", 0);
        node.put("runningTasksCount", 0);
        node.put("runningTaskSlotsCount", 0);
        node.putArray("recentTasks");
        node.put("isDedicated", true);
        ObjectNode agentInfo = node.putObject("nodeAgentInfo");
        agentInfo.put("version", agent.agentVersion() == null ? "unknown" : agent.agentVersion());
        agentInfo.put("lastUpdateTime", Timestamps.iso(now));
        ObjectNode own = node.putObject(AGENT);
        own.put("tokenHash", tokenHash);
        own.put("filesKey", filesKey);
        own.put("hostname", agent.hostname());
        if (agent.agentFilesUrl() != null) {
            own.put("filesUrl", agent.agentFilesUrl());
        }
        own.put("taskSlots", taskSlots);
        own.set("registration", agent.request());
        return node;
    }

    /** The task slots a node offers. */
    public static int taskSlots(StoredResource node) {
        return Math.max(1, Json.readStored(node.body()).path(AGENT).path("taskSlots").asInt(1));
    }

    public static boolean schedulingEnabled(StoredResource node) {
        return !"disabled".equals(Json.readStored(node.body()).path("schedulingState").asText());
    }

    /** Where the node's agent serves task files, or null when it serves none. */
    public static String filesUrl(StoredResource node) {
        return Json.readStored(node.body()).path(AGENT).path("filesUrl").asText(null);
    }

    /**
     * The secret the service presents to the node's file server ({@code x-rebatch-files-key}). Stored as it is, unlike
     * the node token: the service must send it, so it cannot keep only a hash. What it opens is narrow: the task files
     * of this one node, and only at the agent's own address; anyone able to read it from the store could read those
     * files through the service's API anyway.
     */
    public static String filesKey(StoredResource node) {
        return Json.readStored(node.body()).path(AGENT).path("filesKey").asText(null);
    }

    /** What the registration that made the node asked for (see {@link AgentRegistration#request}). */
    static JsonNode registrationRequest(StoredResource node) {
        return Json.readStored(node.body()).path(AGENT).path("registration");
    }

    static String tokenHash(StoredResource node) {
        return Json.readStored(node.body()).path(AGENT).path("tokenHash").asText(null);
    }

    /** What a node that is neither rebooting nor lost is: running while it runs tasks, else idle or offline. */
    public static String settledState(boolean schedulingEnabled, int runningTasks) {
        if (runningTasks > 0) {
            return RUNNING;
        }
        return schedulingEnabled ? IDLE : OFFLINE;
    }

    /**
     * The node in {@code state} since {@code now}, with {@code document}. Nodes keep no previousState (ComputeNode has
     * none), so this is not {@code StateTransitions.to}.
     */
    public static StoredResource withState(StoredResource node, String state, ObjectNode document, Instant now) {
        boolean moved = !state.equals(node.state());
        return new StoredResource(node.key(), state, Json.write(document), node.version(), node.creationTime(), now,
                moved ? now : node.stateTransitionTime(), null, null, node.createRequestId());
    }

    /** Puts {@code entry} (a TaskInformation) first in recentTasks, replacing an older entry of the same task. */
    static void recordRecentTask(ObjectNode node, ObjectNode entry) {
        ArrayNode recent = node.withArray("recentTasks");
        for (int i = recent.size() - 1; i >= 0; i--) {
            JsonNode old = recent.get(i);
            if (old.path("jobId").asText().equalsIgnoreCase(entry.path("jobId").asText())
                    && old.path("taskId").asText().equalsIgnoreCase(entry.path("taskId").asText())) {
                recent.remove(i);
            }
        }
        recent.insert(0, entry);
        while (recent.size() > RECENT_TASKS) {
            recent.remove(recent.size() - 1);
        }
    }
}
