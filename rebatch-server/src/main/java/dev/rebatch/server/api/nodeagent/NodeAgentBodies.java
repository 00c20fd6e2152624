package dev.rebatch.server.api.nodeagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.BodyChecks;
import dev.rebatch.server.dispatch.AttemptOutcome;
import dev.rebatch.server.dispatch.HeldAttempt;
import dev.rebatch.server.dispatch.PollRequest;
import dev.rebatch.server.execution.FailureInfo;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.nodes.AgentRegistration;
import dev.rebatch.server.nodes.NodeIdentity;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads and checks the request bodies of the node-agent protocol; a bad body is 400 before anything is done. */
final class NodeAgentBodies {

    /** As many slots as a pool may have per node (PoolValidator). */
    private static final int MAX_TASK_SLOTS = 256;

    private static final Set<String> REGISTER = Set.of("hostname", "agentFilesUrl", "taskSlots", "agentVersion",
            "nodeId", "nodeToken");
    private static final Set<String> POLL = Set.of("freeSlots", "waitMillis", "running");
    private static final Set<String> ATTEMPT = Set.of("jobId", "taskId", "epoch");
    private static final Set<String> START = Set.of("epoch");
    private static final Set<String> COMPLETE = Set.of("epoch", "exitCode", "failureInfo", "startTime", "endTime");

    private NodeAgentBodies() {}

    static AgentRegistration registration(ObjectNode body) {
        BodyChecks.rejectUnknown(body, REGISTER, "");
        String hostname = BodyChecks.requireText(body, "hostname");
        if (hostname.isBlank() || hostname.length() > 255) {
            throw BatchException.invalidProperty("hostname", hostname, "hostname must be 1 to 255 characters.");
        }
        String filesUrl = optionalText(body, "agentFilesUrl");
        if (filesUrl != null && !isHttpUrl(filesUrl)) {
            throw BatchException.invalidProperty("agentFilesUrl", filesUrl, "agentFilesUrl must be an http(s) URL.");
        }
        Integer slots = optionalInt(body, "taskSlots", 1, MAX_TASK_SLOTS);
        return new AgentRegistration(hostname, filesUrl, slots, optionalText(body, "agentVersion"), identity(body));
    }

    /** The node id and token the agent chose, both or neither; {@code null} when it lets the service choose. */
    private static NodeIdentity identity(ObjectNode body) {
        String nodeId = optionalText(body, "nodeId");
        String token = optionalText(body, "nodeToken");
        if (nodeId == null && token == null) {
            return null;
        }
        if (nodeId == null || token == null) {
            throw BatchException.missingProperty(nodeId == null ? "nodeId" : "nodeToken");
        }
        if (!NodeIdentity.NODE_ID.matcher(nodeId).matches()) {
            throw BatchException.invalidProperty("nodeId", nodeId,
                    "nodeId must be tvmps_ and 32 lowercase hex digits (128 random bits).");
        }
        if (!NodeIdentity.TOKEN.matcher(token).matches()) {
            // The value is a secret: it is not echoed.
            throw BatchException.invalidProperty("nodeToken", "",
                    "nodeToken must be 43 to 128 base64url characters (at least 32 random bytes).");
        }
        return new NodeIdentity(nodeId, token);
    }

    static PollRequest poll(ObjectNode body) {
        BodyChecks.rejectUnknown(body, POLL, "");
        Integer free = optionalInt(body, "freeSlots", 0, MAX_TASK_SLOTS);
        Integer wait = optionalInt(body, "waitMillis", 0, Integer.MAX_VALUE);
        List<HeldAttempt> running = new ArrayList<>();
        JsonNode list = body.get("running");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw BatchException.invalidProperty("running", list.toString(), "running must be a list.");
            }
            for (JsonNode item : list) {
                if (!item.isObject()) {
                    throw BatchException.invalidProperty("running", item.toString(), "Each entry must be an object.");
                }
                ObjectNode attempt = (ObjectNode) item;
                BodyChecks.rejectUnknown(attempt, ATTEMPT, "running.");
                running.add(new HeldAttempt(BodyChecks.requireText(attempt, "jobId"),
                        BodyChecks.requireText(attempt, "taskId"), epoch(attempt)));
            }
        }
        return new PollRequest(free, wait == null ? 0 : wait, running);
    }

    static long started(ObjectNode body) {
        BodyChecks.rejectUnknown(body, START, "");
        return epoch(body);
    }

    /** A leave carries nothing (an empty object), so that later versions can add options. */
    static void leave(ObjectNode body) {
        BodyChecks.rejectUnknown(body, Set.of(), "");
    }

    /** The epoch and the outcome of a completion report. */
    record Completion(long epoch, AttemptOutcome outcome) {}

    /** One completion of a batched report: its attempt's task and the completion. */
    record BatchedCompletion(String jobId, String taskId, Completion completion) {}

    /**
     * A batched report: its completions, and the slots it offers for new tasks (0: none; the node's lease call asks
     * for its free slots instead).
     */
    record CompletionsReport(List<BatchedCompletion> completions, int freeSlots) {}

    /** As many completions as one batched report may carry (a node has at most that many slots). */
    static final int MAX_COMPLETIONS = MAX_TASK_SLOTS;

    /**
     * A batched completion report: {@code {"completions": [{jobId, taskId, epoch, exitCode...}, ...], "freeSlots": n}}
     * ({@code freeSlots} optional).
     */
    static CompletionsReport completions(ObjectNode body) {
        BodyChecks.rejectUnknown(body, Set.of("completions", "freeSlots"), "");
        Integer free = optionalInt(body, "freeSlots", 0, MAX_TASK_SLOTS);
        JsonNode list = body.get("completions");
        if (list == null || list.isNull()) {
            throw BatchException.missingProperty("completions");
        }
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_COMPLETIONS) {
            throw BatchException.invalidProperty("completions", "",
                    "completions must be a list of 1 to " + MAX_COMPLETIONS + " completions.");
        }
        List<BatchedCompletion> completions = new ArrayList<>(list.size());
        for (JsonNode item : list) {
            if (!item.isObject()) {
                throw BatchException.invalidProperty("completions", item.toString(), "Each completion is an object.");
            }
            ObjectNode fields = ((ObjectNode) item).deepCopy();
            String jobId = BodyChecks.requireText(fields, "jobId");
            String taskId = BodyChecks.requireText(fields, "taskId");
            fields.remove("jobId");
            fields.remove("taskId");
            completions.add(new BatchedCompletion(jobId, taskId, completion(fields)));
        }
        return new CompletionsReport(completions, free == null ? 0 : free);
    }

    static Completion completion(ObjectNode body) {
        BodyChecks.rejectUnknown(body, COMPLETE, "");
        long epoch = epoch(body);
        Integer exitCode = optionalInt(body, "exitCode", Integer.MIN_VALUE, Integer.MAX_VALUE);
        FailureInfo failureInfo = null;
        JsonNode failure = body.get("failureInfo");
        if (failure != null && !failure.isNull()) {
            try {
                failureInfo = failure.isObject() ? FailureInfo.fromJson(failure) : null;
            } catch (IllegalArgumentException badCategory) {
                failureInfo = null;
            }
            if (failureInfo == null) {
                throw BatchException.invalidProperty("failureInfo", failure.toString(),
                        "failureInfo must be a TaskFailureInformation with a category (usererror or servererror).");
            }
        }
        if (exitCode == null && failureInfo == null) {
            throw BatchException.missingProperty("exitCode");
        }
        return new Completion(epoch, new AttemptOutcome(exitCode, failureInfo, optionalTime(body, "startTime"),
                optionalTime(body, "endTime")));
    }

    private static long epoch(ObjectNode body) {
        JsonNode epoch = body.get("epoch");
        if (epoch == null || epoch.isNull()) {
            throw BatchException.missingProperty("epoch");
        }
        if (!epoch.canConvertToLong() || !epoch.isIntegralNumber() || epoch.asLong() < 1) {
            throw BatchException.invalidProperty("epoch", epoch.toString(),
                    "epoch must be the lease's epoch (1 or more).");
        }
        return epoch.asLong();
    }

    private static String optionalText(ObjectNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw BatchException.invalidProperty(name, value.toString(), name + " must be a string.");
        }
        return value.asText();
    }

    private static Integer optionalInt(ObjectNode body, String name, int min, int max) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw BatchException.invalidProperty(name, value.toString(),
                    name + " must be a whole number from " + min + " to " + max + ".");
        }
        return value.asInt();
    }

    private static Instant optionalTime(ObjectNode body, String name) {
        String text = optionalText(body, name);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw BatchException.invalidProperty(name, text, name + " must be an ISO 8601 time in UTC.");
        }
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
