package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.http.Json;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node agent for tests: speaks the node-agent protocol over signed HTTP, remembers the node it registered as and the
 * attempts it holds, and runs nothing (a test decides when an attempt starts and how it ends).
 */
public final class FakeAgent {

    /** An attempt this agent holds. */
    public record Held(String jobId, String taskId, long epoch) {}

    private final SignedHttp http;
    private final Map<String, Held> held = new LinkedHashMap<>();
    private String poolId;
    private String nodeId;
    private String token;

    public FakeAgent(String endpoint, String account, String key) {
        this.http = new SignedHttp(endpoint, account, key);
    }

    /** Registers into {@code poolId}; returns the registration answer. */
    public JsonNode register(String poolId, Integer taskSlots) {
        return register(poolId, taskSlots, null);
    }

    /** Registers into {@code poolId}, serving task files at {@code filesUrl} (null: none); returns the answer. */
    public JsonNode register(String poolId, Integer taskSlots, String filesUrl) {
        HttpResponse<String> response = registerRaw(poolId, registrationBody(taskSlots, filesUrl));
        if (response.statusCode() != 201) {
            throw new AssertionError("registration answered " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    /** The body {@link #register} sends; a test adds to it (a node id and token) and sends it with {@link #registerRaw}. */
    public static ObjectNode registrationBody(Integer taskSlots, String filesUrl) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("hostname", "fake-agent-host");
        body.put("agentVersion", "test");
        if (taskSlots != null) {
            body.put("taskSlots", taskSlots);
        }
        if (filesUrl != null) {
            body.put("agentFilesUrl", filesUrl);
        }
        return body;
    }

    /** Registers with {@code body}, answered as it is; on 201 this agent is the node of the answer. */
    public HttpResponse<String> registerRaw(String poolId, ObjectNode body) {
        HttpResponse<String> response = send("/pools/" + poolId + "/nodes", body, null);
        if (response.statusCode() == 201) {
            JsonNode answer = json(response);
            this.poolId = poolId;
            this.nodeId = answer.path("nodeId").asText();
            this.token = answer.path("nodeToken").asText();
        }
        return response;
    }

    public String nodeId() {
        return nodeId;
    }

    public String token() {
        return token;
    }

    /** Attempts held now. */
    public List<Held> held() {
        return List.copyOf(held.values());
    }

    /**
     * One lease call listing what it holds; the answer's leases are added to what it holds and its cancellations
     * removed.
     */
    public JsonNode poll(Integer freeSlots, long waitMillis) {
        HttpResponse<String> response = pollRaw(freeSlots, waitMillis, token);
        if (response.statusCode() != 200) {
            throw new AssertionError("lease call answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode answer = json(response);
        for (JsonNode lease : answer.path("leases")) {
            Held attempt = new Held(lease.path("jobId").asText(), lease.path("taskId").asText(),
                    lease.path("epoch").asLong());
            held.put(attempt.jobId() + "/" + attempt.taskId(), attempt);
        }
        for (JsonNode cancellation : answer.path("cancellations")) {
            held.remove(cancellation.path("jobId").asText() + "/" + cancellation.path("taskId").asText());
        }
        return answer;
    }

    /** A lease call with any token, answered as it is. */
    public HttpResponse<String> pollRaw(Integer freeSlots, long waitMillis, String withToken) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (freeSlots != null) {
            body.put("freeSlots", freeSlots);
        }
        body.put("waitMillis", waitMillis);
        ArrayNode running = body.putArray("running");
        for (Held attempt : held.values()) {
            running.addObject().put("jobId", attempt.jobId()).put("taskId", attempt.taskId())
                    .put("epoch", attempt.epoch());
        }
        return send("/pools/" + poolId + "/nodes/" + nodeId + "/leases", body, withToken);
    }

    public HttpResponse<String> start(String jobId, String taskId, long epoch) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("epoch", epoch);
        return send(leasePath(jobId, taskId) + "/start", body, token);
    }

    /** Reports an exit code; on 204 the attempt is no longer held. */
    public HttpResponse<String> complete(String jobId, String taskId, long epoch, int exitCode) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("epoch", epoch).put("exitCode", exitCode);
        HttpResponse<String> response = send(leasePath(jobId, taskId) + "/complete", body, token);
        if (response.statusCode() == 204) {
            held.remove(jobId + "/" + taskId);
        }
        return response;
    }

    /**
     * Reports several exit codes in one batched call ({@code completions}: jobId, taskId, epoch, exitCode); every
     * accepted one is no longer held. Returns the raw answer.
     */
    public HttpResponse<String> completeAll(List<ObjectNode> completions) {
        return completeAll(completions, null);
    }

    /**
     * {@link #completeAll(List)} offering {@code freeSlots} (none when null) for new tasks: the answer's leases are
     * added to what it holds.
     */
    public HttpResponse<String> completeAll(List<ObjectNode> completions, Integer freeSlots) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        completions.forEach(body.putArray("completions")::add);
        if (freeSlots != null) {
            body.put("freeSlots", freeSlots);
        }
        HttpResponse<String> response = send("/pools/" + poolId + "/nodes/" + nodeId + "/completions", body, token);
        if (response.statusCode() == 200) {
            JsonNode answer = Json.readStored(response.body());
            for (JsonNode result : answer.path("results")) {
                if (!result.has("code")) {
                    held.remove(result.path("jobId").asText() + "/" + result.path("taskId").asText());
                }
            }
            for (JsonNode lease : answer.path("leases")) {
                held.put(lease.path("jobId").asText() + "/" + lease.path("taskId").asText(), new Held(
                        lease.path("jobId").asText(), lease.path("taskId").asText(), lease.path("epoch").asLong()));
            }
        }
        return response;
    }

    /** Reports {@code outcome} (exitCode and/or failureInfo); on 204 the attempt is no longer held. */
    public HttpResponse<String> complete(String jobId, String taskId, long epoch, ObjectNode outcome) {
        ObjectNode body = outcome.deepCopy().put("epoch", epoch);
        HttpResponse<String> response = send(leasePath(jobId, taskId) + "/complete", body, token);
        if (response.statusCode() == 204) {
            held.remove(jobId + "/" + taskId);
        }
        return response;
    }

    /** Leaves the pool: the node is removed and the tasks it holds are requeued. */
    public HttpResponse<String> leave() {
        HttpResponse<String> response = send("/pools/" + poolId + "/nodes/" + nodeId + "/leave",
                Json.MAPPER.createObjectNode(), token);
        if (response.statusCode() == 204) {
            held.clear();
        }
        return response;
    }

    /** Forgets an attempt without telling the service (as an agent that crashed would). */
    public void forget(String jobId, String taskId) {
        held.remove(jobId + "/" + taskId);
    }

    private String leasePath(String jobId, String taskId) {
        return "/pools/" + poolId + "/nodes/" + nodeId + "/leases/" + jobId + "/" + taskId;
    }

    private HttpResponse<String> send(String path, ObjectNode body, String withToken) {
        SignedHttp.Call call = http.call("POST", "/rebatch/node-agent/v1" + path).query("api-version", null)
                .body(Json.write(body)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60));
        if (withToken != null) {
            call.header("x-rebatch-node-token", withToken);
        }
        return call.send();
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ids of the leases in a lease call's answer, "job/task", in grant order. */
    public static List<String> leaseIds(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.path("leases").forEach(lease -> ids.add(lease.path("jobId").asText() + "/"
                + lease.path("taskId").asText()));
        return ids;
    }
}
