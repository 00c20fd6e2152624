package dev.rebatch.node.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.files.ByteRange;
import dev.rebatch.node.files.FileContent;
import dev.rebatch.node.files.NodeFile;
import dev.rebatch.node.files.TaskFileException;
import dev.rebatch.node.files.TaskFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves this node's task files to the service, which relays the Batch file operations of tasks that ran here
 * (File_ListFromTask, File_GetFromTask, File_GetPropertiesFromTask, File_DeleteFromTask). A JDK
 * {@link HttpServer} on virtual threads: no dependency, and a slow download holds no platform thread.
 *
 * <p>Under {@link #url()} ({@code agentFilesUrl} at registration), with every path segment percent-encoded:
 *
 * <pre>
 * GET    /jobs/{jobId}/tasks/{taskId}/files?recursive=true|false   200 {"value": [NodeFile...]} (no url)
 * GET    /jobs/{jobId}/tasks/{taskId}/files/{path}                 200, or 206 for an ocp-range: bytes=a-b
 * HEAD   /jobs/{jobId}/tasks/{taskId}/files/{path}                 the same headers, no body
 * DELETE /jobs/{jobId}/tasks/{taskId}/files/{path}[?recursive=true] 200
 * </pre>
 *
 * A file answer carries Content-Length, Content-Type, {@code ocp-batch-file-isdirectory},
 * {@code ocp-batch-file-mode}, {@code ocp-creation-time} and Last-Modified (RFC 1123), and Content-Range on 206. A
 * refusal is the HTTP status of its Batch error code with {@code {"code": "...", "message": "..."}}.
 *
 * <p>Only the service may ask: every request must carry header {@value #FILES_KEY_HEADER} with the key the service
 * chose at registration (compared in constant time), else 403. Until a key is known (before registration, or from a
 * service that sends none) every request is refused: task files are never served to whoever finds the port.
 */
public final class AgentFilesServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentFilesServer.class);

    /** The header with the service's files key. */
    public static final String FILES_KEY_HEADER = "x-rebatch-files-key";
    /** Where the routes live on the server. */
    public static final String BASE_PATH = "/rebatch-agent/v1";

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final HttpServer server;
    private final ExecutorService executor;
    private final TaskFiles files;
    private final URI url;
    private final ObjectMapper json = BatchJson.mapper();
    private volatile byte[] filesKey;

    private AgentFilesServer(HttpServer server, ExecutorService executor, TaskFiles files, URI url) {
        this.server = server;
        this.executor = executor;
        this.files = files;
        this.url = url;
    }

    /**
     * Starts listening.
     *
     * @param bindHost       the address to listen on ({@code 0.0.0.0} for all)
     * @param port           the port, 0 for an ephemeral one
     * @param advertisedHost the host name the service reaches this node by, in {@link #url()}
     * @throws IOException when the address cannot be bound
     */
    public static AgentFilesServer start(String bindHost, int port, String advertisedHost, TaskFiles files)
            throws IOException {
        Objects.requireNonNull(files, "files");
        HttpServer server = HttpServer.create(new InetSocketAddress(bindHost, port), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        String host = advertisedHost.contains(":") && !advertisedHost.startsWith("[") ? "[" + advertisedHost + "]"
                : advertisedHost;
        URI url = URI.create("http://" + host + ":" + server.getAddress().getPort() + BASE_PATH);
        AgentFilesServer started = new AgentFilesServer(server, executor, files, url);
        server.createContext(BASE_PATH, started::handle);
        server.start();
        return started;
    }

    /** The agentFilesUrl: where the service finds this node's task files. */
    public URI url() {
        return url;
    }

    /** The port listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The key the service sends with every request; {@code null} refuses every request. */
    public void filesKey(String key) {
        this.filesKey = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                authenticate(exchange);
                route(exchange);
            } catch (TaskFileException refused) {
                error(exchange, refused.code(), refused.getMessage());
            } catch (Refusal refused) {
                error(exchange, refused.code, refused.getMessage());
            } catch (IOException broken) {
                // The service went away mid-answer; nothing to tell it.
                log.debug("Task file request {} {} ended early: {}", exchange.getRequestMethod(),
                        exchange.getRequestURI(), broken.toString());
            } catch (RuntimeException unexpected) {
                log.warn("Task file request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(),
                        unexpected);
                error(exchange, BatchErrorCode.InternalError, "The node could not serve the request.");
            }
        }
    }

    private void authenticate(HttpExchange exchange) {
        byte[] expected = filesKey;
        String given = exchange.getRequestHeaders().getFirst(FILES_KEY_HEADER);
        if (expected == null || given == null
                || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw new Refusal(BatchErrorCode.AuthenticationFailed, expected == null
                    ? "This node has no files key from the service yet; it serves no files."
                    : "The " + FILES_KEY_HEADER + " header is missing or is not this node's files key.");
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawPath().substring(BASE_PATH.length());
        List<String> segments = segments(raw);
        // jobs/{job}/tasks/{task}/files[/path...]
        if (segments.size() < 5 || !segments.get(0).equals("jobs") || !segments.get(2).equals("tasks")
                || !segments.get(4).equals("files")) {
            throw new Refusal(BatchErrorCode.ResourceNotFound, "The specified resource does not exist.");
        }
        TaskKey task = task(segments.get(1), segments.get(3));
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String method = exchange.getRequestMethod();
        if (segments.size() == 5) {
            if (!method.equals("GET")) {
                throw notAllowed();
            }
            list(exchange, task, flag(query, "recursive"));
            return;
        }
        String path = String.join("/", segments.subList(5, segments.size()));
        switch (method) {
            case "GET" -> read(exchange, task, path);
            case "HEAD" -> properties(exchange, task, path);
            case "DELETE" -> {
                files.delete(task, path, flag(query, "recursive"));
                exchange.sendResponseHeaders(200, -1);
            }
            default -> throw notAllowed();
        }
    }

    private void list(HttpExchange exchange, TaskKey task, boolean recursive) throws IOException {
        List<NodeFile> listed = files.list(task, recursive);
        byte[] body = json.writeValueAsBytes(Map.of("value", listed));
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        send(exchange, 200, body);
    }

    private void properties(HttpExchange exchange, TaskKey task, String path) throws IOException {
        NodeFile file = files.properties(task, path);
        fileHeaders(exchange.getResponseHeaders(), file);
        exchange.getResponseHeaders().set("Content-Length", Long.toString(file.properties().contentLength()));
        exchange.sendResponseHeaders(200, -1);
    }

    private void read(HttpExchange exchange, TaskKey task, String path) throws IOException {
        String rangeHeader = exchange.getRequestHeaders().getFirst("ocp-range");
        if (rangeHeader == null) {
            rangeHeader = exchange.getRequestHeaders().getFirst("Range");
        }
        ByteRange range = rangeHeader == null ? null : ByteRange.parse(rangeHeader);
        try (FileContent content = files.read(task, path, range)) {
            Headers headers = exchange.getResponseHeaders();
            fileHeaders(headers, content.file());
            int status = 200;
            if (range != null) {
                status = 206;
                headers.set("Content-Range", "bytes " + content.start() + "-"
                        + (content.start() + content.length() - 1) + "/" + content.file().properties().contentLength());
            }
            exchange.sendResponseHeaders(status, content.length() == 0 ? -1 : content.length());
            if (content.length() > 0) {
                try (OutputStream out = exchange.getResponseBody(); InputStream in = content.stream()) {
                    in.transferTo(out);
                }
            }
        }
    }

    private static void fileHeaders(Headers headers, NodeFile file) {
        headers.set("ocp-batch-file-isdirectory", Boolean.toString(file.isDirectory()));
        if (file.properties().fileMode() != null) {
            headers.set("ocp-batch-file-mode", file.properties().fileMode());
        }
        if (file.properties().creationTime() != null) {
            headers.set("ocp-creation-time", httpDate(file.properties().creationTime()));
        }
        if (file.properties().lastModified() != null) {
            headers.set("Last-Modified", httpDate(file.properties().lastModified()));
        }
        if (file.properties().contentType() != null) {
            headers.set("Content-Type", file.properties().contentType());
        }
    }

    private void error(HttpExchange exchange, BatchErrorCode code, String message) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code.name());
        body.put("message", message);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(code.httpStatus(), -1);
        } else {
            send(exchange, code.httpStatus(), json.writeValueAsBytes(body));
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static TaskKey task(String jobId, String taskId) {
        try {
            return new TaskKey(jobId, taskId);
        } catch (IllegalArgumentException notABatchId) {
            // No task could have such an id, so none ran here.
            throw new Refusal(BatchErrorCode.TaskNotFound, "The specified task does not exist.");
        }
    }

    /** The decoded segments of a raw path; empty segments (doubled or trailing slashes) are dropped. */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(percentDecode(segment));
            }
        }
        return segments;
    }

    /** Decodes %XX escapes as UTF-8; unlike URLDecoder, leaves {@code +} alone, as a path segment means it. */
    static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw badEscape(raw);
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw badEscape(raw);
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Refusal badEscape(String raw) {
        return new Refusal(BatchErrorCode.InvalidInput, "The path segment '" + raw + "' is not percent-encoded.");
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = percentDecode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : percentDecode(pair.substring(equals + 1).replace('+', ' '));
            parameters.put(name, value);
        }
        return parameters;
    }

    private static boolean flag(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new Refusal(BatchErrorCode.InvalidQueryParameterValue,
                "The value for the query parameter " + name + " must be true or false, was " + value + ".");
    }

    private static Refusal notAllowed() {
        return new Refusal(BatchErrorCode.UnsupportedHttpVerb, "The resource doesn't support the specified HTTP verb.");
    }

    private static String httpDate(Instant time) {
        return HTTP_DATE.format(time.atOffset(ZoneOffset.UTC));
    }

    /** A request refused before the task files are reached. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final BatchErrorCode code;

        Refusal(BatchErrorCode code, String message) {
            super(message);
            this.code = code;
        }
    }
}
