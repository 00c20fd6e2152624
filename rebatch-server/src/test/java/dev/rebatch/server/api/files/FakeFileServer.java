package dev.rebatch.server.api.files;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rebatch.server.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node agent's file server for tests, built to the contract in docs/node-agent-protocol.md ("Task files"): task
 * files in memory, listed, read by ranges, described and deleted, every call checked for the files key.
 */
public final class FakeFileServer implements AutoCloseable {

    /** A file or directory of a task. */
    record Entry(byte[] content, boolean directory, Instant created, Instant modified, String mode) {}

    private static final Pattern RANGE = Pattern.compile("bytes=([0-9]*)-([0-9]*)");
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final Map<String, ConcurrentSkipListMap<String, Entry>> tasks = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cleanedUp = new ConcurrentHashMap<>();
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String key;

    public FakeFileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/agent/files", this::handle);
        server.start();
    }

    /** What the agent registers as its agentFilesUrl. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/agent/files";
    }

    /** The files key the service must present (from the registration answer). */
    public void key(String filesKey) {
        this.key = filesKey;
    }

    /** Each request as "METHOD raw-path[?query]", for tests that check what the service sent. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public void put(String jobId, String taskId, String path, byte[] content) {
        Instant now = Instant.parse("2026-05-01T10:00:00Z");
        ConcurrentSkipListMap<String, Entry> files = tasks.computeIfAbsent(task(jobId, taskId),
                k -> new ConcurrentSkipListMap<>());
        String[] parts = path.split("/");
        StringBuilder dir = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            dir.append(i == 0 ? "" : "/").append(parts[i]);
            files.putIfAbsent(dir.toString(), new Entry(new byte[0], true, now, now, "40755"));
        }
        files.put(path, new Entry(content, false, now.minusSeconds(60), now, "100644"));
    }

    public void cleanUp(String jobId, String taskId) {
        cleanedUp.put(task(jobId, taskId), true);
    }

    private static String task(String jobId, String taskId) {
        return jobId.toLowerCase() + "/" + taskId.toLowerCase();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawPath = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(exchange.getRequestMethod() + " " + rawPath + (query == null ? "" : "?" + query));
            if (key == null || !key.equals(exchange.getRequestHeaders().getFirst("x-rebatch-files-key"))) {
                error(exchange, 403, "AuthenticationFailed", "Wrong files key.");
                return;
            }
            List<String> segments = new ArrayList<>();
            for (String segment : rawPath.substring("/agent/files/".length()).split("/", -1)) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
            if (segments.size() < 5 || !segments.get(0).equals("jobs") || !segments.get(2).equals("tasks")
                    || !segments.get(4).equals("files")) {
                error(exchange, 404, "ResourceNotFound", "No such path.");
                return;
            }
            String taskKey = task(segments.get(1), segments.get(3));
            if (cleanedUp.containsKey(taskKey)) {
                error(exchange, 409, "TaskFilesCleanedup", "The task's files were cleaned up.");
                return;
            }
            ConcurrentSkipListMap<String, Entry> files = tasks.computeIfAbsent(taskKey, k -> new ConcurrentSkipListMap<>());
            boolean recursive = query != null && query.contains("recursive=true");
            if (segments.size() == 5) {
                list(exchange, files, recursive);
                return;
            }
            String path = String.join("/", segments.subList(5, segments.size()));
            if (path.contains("..")) {
                error(exchange, 400, "InvalidInput", "The path leaves the task directory.");
                return;
            }
            Entry entry = files.get(path);
            if (entry == null) {
                error(exchange, 404, "FileNotFound", "The specified file does not exist.");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> read(exchange, entry, false);
                case "HEAD" -> read(exchange, entry, true);
                case "DELETE" -> delete(exchange, files, path, entry, recursive);
                default -> error(exchange, 405, "UnsupportedHttpVerb", "No.");
            }
        }
    }

    private static void list(HttpExchange exchange, Map<String, Entry> files, boolean recursive) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode value = body.putArray("value");
        files.forEach((name, entry) -> {
            if (!recursive && name.contains("/")) {
                return;
            }
            ObjectNode file = value.addObject();
            file.put("name", name);
            file.put("isDirectory", entry.directory());
            ObjectNode properties = file.putObject("properties");
            properties.put("creationTime", entry.created().toString());
            properties.put("lastModified", entry.modified().toString());
            properties.put("contentLength", entry.content().length);
            properties.put("contentType", "application/octet-stream");
            properties.put("fileMode", entry.mode());
        });
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void read(HttpExchange exchange, Entry entry, boolean headOnly) throws IOException {
        byte[] content = entry.content();
        int from = 0;
        int to = content.length - 1;
        String range = exchange.getRequestHeaders().getFirst("ocp-range");
        boolean partial = false;
        if (range != null) {
            Matcher matcher = RANGE.matcher(range);
            if (!matcher.matches()) {
                error(exchange, 400, "InvalidInput", "Bad range.");
                return;
            }
            if (!matcher.group(1).isEmpty()) {
                from = Integer.parseInt(matcher.group(1));
                if (!matcher.group(2).isEmpty()) {
                    to = Math.min(to, Integer.parseInt(matcher.group(2)));
                }
            } else {
                from = Math.max(0, content.length - Integer.parseInt(matcher.group(2)));
            }
            if (from >= content.length) {
                error(exchange, 416, "InvalidRange", "The range is past the end of the file.");
                return;
            }
            partial = true;
        }
        int length = to - from + 1;
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/octet-stream");
        headers.set("ocp-batch-file-isdirectory", Boolean.toString(entry.directory()));
        headers.set("ocp-batch-file-mode", entry.mode());
        headers.set("ocp-creation-time", RFC_1123.format(entry.created()));
        headers.set("Last-Modified", RFC_1123.format(entry.modified()));
        if (partial) {
            headers.set("Content-Range", "bytes " + from + "-" + to + "/" + content.length);
        }
        if (headOnly) {
            headers.set("Content-Length", Integer.toString(content.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(partial ? 206 : 200, length);
        try (OutputStream out = exchange.getResponseBody()) {
            // In pieces, as a file is read from disk.
            for (int at = from; at <= to; at += 8192) {
                out.write(content, at, Math.min(8192, to + 1 - at));
            }
        }
    }

    private static void delete(HttpExchange exchange, Map<String, Entry> files, String path, Entry entry,
            boolean recursive) throws IOException {
        if (entry.directory()) {
            boolean hasChildren = files.keySet().stream().anyMatch(name -> name.startsWith(path + "/"));
            if (hasChildren && !recursive) {
                error(exchange, 409, "OperationInvalidForCurrentState", "The directory is not empty.");
                return;
            }
            files.keySet().removeIf(name -> name.startsWith(path + "/"));
        }
        files.remove(path);
        exchange.sendResponseHeaders(200, -1);
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] bytes = Json.write(Json.MAPPER.createObjectNode().put("code", code).put("message", message))
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
