package dev.rebatch.server.api.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.Paging;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.http.Preconditions;
import dev.rebatch.server.http.RequestContext;
import dev.rebatch.server.nodes.AgentFileClient;
import dev.rebatch.server.nodes.ComputeNodes;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task file operations of the Batch API (File_ListFromTask, File_GetFromTask, File_GetPropertiesFromTask,
 * File_DeleteFromTask). The files live on the node that ran the task's last attempt (the task's {@code nodeInfo}); the
 * service proxies each call to that node agent's file server ({@link AgentFileClient}) and answers with the Batch
 * headers and bodies: each NodeFile gets its {@code url}, a file's bytes are streamed through, and the agent's
 * refusals keep their Batch codes.
 *
 * <p>A task that is {@code active} has no files to show (409 OperationInvalidForCurrentState, as Batch answers "the
 * task state is still active"), even when an earlier attempt ran somewhere: Batch does not show them either. A task
 * that never ran, or whose node is gone or serves no files, is 409 TaskFilesUnavailable.
 */
public final class TaskFileRoutes {

    private static final Logger log = LoggerFactory.getLogger(TaskFileRoutes.class);
    private static final String FILES = "/jobs/{jobId}/tasks/{taskId}/files";
    private static final String FILE = FILES + "/<filePath>";
    /** The one {@code $filter} a file list takes: {@code startswith(name,'prefix')}. */
    private static final Pattern STARTS_WITH = Pattern.compile(
            "\\s*startswith\\s*\\(\\s*name\\s*,\\s*'((?:[^']|'')*)'\\s*\\)\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern RANGE = Pattern.compile("bytes=[0-9]*-[0-9]*");
    /** Headers of a file answer passed on as the agent sent them. */
    private static final List<String> PASSED_ON = List.of("ocp-creation-time", "ocp-batch-file-isdirectory",
            "ocp-batch-file-mode", "Last-Modified");

    private final BatchStore store;
    private final AgentFileClient files;

    public TaskFileRoutes(BatchStore store, AgentFileClient files) {
        this.store = store;
        this.files = files;
    }

    public void register(RoutesConfig routes) {
        routes.get(FILES, this::list);
        routes.get(FILE, ctx -> read(ctx, false));
        routes.head(FILE, ctx -> read(ctx, true));
        routes.delete(FILE, this::delete);
    }

    private void list(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        Located task = locate(ctx);
        boolean recursive = booleanParameter(ctx, "recursive");
        String prefix = prefix(ctx);
        int maxResults = Paging.maxResults(ctx);
        String after = Paging.afterKey(ctx);
        List<JsonNode> listed = new ArrayList<>(files.list(task.agent(), task.jobId(), task.taskId(), recursive));
        listed.removeIf(file -> !file.path("name").isTextual());
        listed.sort(Comparator.comparing(file -> file.path("name").asText()));
        ArrayNode items = Json.MAPPER.createArrayNode();
        String next = null;
        for (JsonNode file : listed) {
            String name = file.path("name").asText();
            if ((prefix != null && !name.startsWith(prefix)) || (after != null && name.compareTo(after) <= 0)) {
                continue;
            }
            if (items.size() == maxResults) {
                next = items.get(items.size() - 1).path("name").asText();
                break;
            }
            items.add(withUrl(file, fileUrl(request, task, name)));
        }
        Paging.write(ctx, "files", items, next);
    }

    /** GET (the bytes, or the range {@code ocp-range} asks for) and HEAD (the headers only). */
    private void read(Context ctx, boolean headOnly) throws IOException {
        RequestContext request = RequestContext.of(ctx);
        Located task = locate(ctx);
        String path = filePath(ctx);
        String range = headOnly ? null : ctx.header("ocp-range");
        if (range != null && !RANGE.matcher(range.trim()).matches()) {
            throw BatchException.invalidHeader("ocp-range", range, "ocp-range must be bytes=start-end.");
        }
        AgentFileClient.Answer answer = files.open(task.agent(), task.jobId(), task.taskId(), path,
                range == null ? null : range.trim(), headOnly);
        Instant lastModified = lastModified(answer);
        String etag = lastModified == null ? null
                : etag(lastModified, answer.header("Content-Length").orElse(""));
        try {
            if (etag != null) {
                Preconditions.of(ctx).enforce(etag, lastModified);
            }
        } catch (RuntimeException unmet) {
            answer.discard();
            throw unmet;
        }
        if (etag != null) {
            ctx.header("ETag", etag);
        }
        for (String name : PASSED_ON) {
            answer.header(name).ifPresent(value -> ctx.header(name, value));
        }
        ctx.header("ocp-batch-file-url", fileUrl(request, task, path));
        ctx.header("Content-Type", answer.header("Content-Type").orElse("application/octet-stream"));
        // A range is answered 200 too: File_GetFromTask defines no other success, and clients treat any other
        // status as an error.
        ctx.status(200);
        answer.header("Content-Length").ifPresent(length -> ctx.header("Content-Length", length));
        if (headOnly) {
            answer.discard();
            return;
        }
        OutputStream out = ctx.res().getOutputStream();
        try {
            answer.pipe(out);
        } catch (IOException broken) {
            // The answer is committed: all that is left is to end it short of its Content-Length, which makes the
            // server drop the connection and tells the client the body is incomplete.
            log.warn("Streaming file {} of task {}/{} from node {} stopped: {}", path, task.jobId(), task.taskId(),
                    task.agent().nodeId(), broken.toString());
        }
    }

    private void delete(Context ctx) {
        Located task = locate(ctx);
        boolean recursive = booleanParameter(ctx, "recursive");
        files.delete(task.agent(), task.jobId(), task.taskId(), filePath(ctx), recursive);
        ctx.status(200);
    }

    /** The task the path names, and the agent that holds its files. */
    private Located locate(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        String jobId = ctx.pathParam("jobId");
        String taskId = ctx.pathParam("taskId");
        if (!BatchIds.isValid(jobId)) {
            throw jobNotFound();
        }
        StoredResource job = store.find(ResourceKey.topLevel(request.account(), ResourceKind.JOB, jobId))
                .orElseThrow(TaskFileRoutes::jobNotFound);
        if (!BatchIds.isValid(taskId)) {
            throw taskNotFound();
        }
        StoredResource task = store.find(new ResourceKey(request.account(), ResourceKind.TASK, job.key().id(), taskId))
                .orElseThrow(TaskFileRoutes::taskNotFound);
        if (task.state().equals("active")) {
            throw new BatchException(BatchErrorCode.OperationInvalidForCurrentState,
                    "The specified operation is not valid for the current state of the resource.",
                    BatchException.detail("Reason",
                            "The files of the specified task cannot be accessed as the task state is still active"));
        }
        JsonNode nodeInfo = Json.readStored(task.body()).path("nodeInfo");
        String nodeId = nodeInfo.path("nodeId").asText(null);
        String poolId = nodeInfo.path("poolId").asText(null);
        if (nodeId == null || poolId == null) {
            throw unavailable("The task never ran on a compute node.");
        }
        StoredResource node = BatchIds.isValid(poolId) && BatchIds.isValid(nodeId)
                ? store.find(new ResourceKey(request.account(), ResourceKind.NODE, poolId, nodeId)).orElse(null)
                : null;
        if (node == null) {
            throw unavailable("The compute node that ran the task (" + nodeId + ") no longer exists.");
        }
        String filesUrl = ComputeNodes.filesUrl(node);
        String filesKey = ComputeNodes.filesKey(node);
        if (filesUrl == null || filesKey == null) {
            throw unavailable("The node agent of compute node " + nodeId + " serves no files.");
        }
        return new Located(job.key().id(), task.key().id(), new AgentFileClient.Agent(nodeId, filesUrl, filesKey));
    }

    private record Located(String jobId, String taskId, AgentFileClient.Agent agent) {}

    private static String filePath(Context ctx) {
        String path = ctx.pathParam("filePath");
        if (path.isEmpty()) {
            throw new BatchException(BatchErrorCode.InvalidInput, "One of the request inputs is not valid.",
                    BatchException.detail("Reason", "The file path is empty."));
        }
        return path;
    }

    /** The file's URL in this service: the task's files URL and the path, each segment percent-encoded. */
    private static String fileUrl(RequestContext request, Located task, String path) {
        StringBuilder url = new StringBuilder(request.baseUrl()).append("/jobs/")
                .append(AgentFileClient.segment(task.jobId())).append("/tasks/")
                .append(AgentFileClient.segment(task.taskId())).append("/files");
        for (String part : path.split("/", -1)) {
            url.append('/').append(AgentFileClient.segment(part));
        }
        return url.toString();
    }

    /** A NodeFile as the spec orders it: name, url, isDirectory, properties. */
    private static ObjectNode withUrl(JsonNode file, String url) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.set("name", file.get("name"));
        entry.put("url", url);
        file.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("name") && !field.getKey().equals("url")) {
                entry.set(field.getKey(), field.getValue());
            }
        });
        return entry;
    }

    /**
     * The file's ETag: agents send none, so it is made from what changes with the file (its modification time and
     * length), in the shape of Batch's ETags.
     */
    private static String etag(Instant lastModified, String length) {
        return "0x" + Long.toHexString(lastModified.toEpochMilli()).toUpperCase(Locale.ROOT)
                + Integer.toHexString(length.hashCode()).toUpperCase(Locale.ROOT);
    }

    private static Instant lastModified(AgentFileClient.Answer answer) {
        return answer.header("Last-Modified").map(value -> {
            try {
                return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }).orElse(null);
    }

    private static String prefix(Context ctx) {
        String filter = ctx.queryParam("$filter");
        if (filter == null) {
            return null;
        }
        Matcher matcher = STARTS_WITH.matcher(filter);
        if (!matcher.matches()) {
            throw BatchException.invalidQueryParameter("$filter", filter,
                    "A file list can be filtered by startswith(name,'prefix') only.");
        }
        return matcher.group(1).replace("''", "'");
    }

    private static boolean booleanParameter(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw BatchException.invalidQueryParameter(name, value, name + " must be true or false.");
        };
    }

    private static BatchException unavailable(String reason) {
        return new BatchException(BatchErrorCode.TaskFilesUnavailable,
                "The files of the task are not available.", BatchException.detail("Reason", reason));
    }

    private static BatchException jobNotFound() {
        return new BatchException(BatchErrorCode.JobNotFound, "The specified job does not exist.");
    }

    private static BatchException taskNotFound() {
        return new BatchException(BatchErrorCode.TaskNotFound, "The specified task does not exist.");
    }
}
