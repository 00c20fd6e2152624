package dev.rebatch.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's side of the node agent's file server (docs/node-agent-protocol.md, "Task files"): lists, reads,
 * describes and deletes the files of a task on the node that ran it, over HTTP to the {@code agentFilesUrl} the agent
 * registered, presenting the node's files key in {@value #KEY_HEADER}.
 *
 * <p>Nothing the agent does becomes a 500: an agent that cannot be reached, does not answer in time, stalls while
 * sending a file or refuses the key is 409 {@code TaskFilesUnavailable}; the agent's own refusals keep their Batch code
 * (FileNotFound, TaskFilesCleanedup, InvalidInput...). File contents are streamed through one chunk at a time, never
 * held whole.
 */
public final class AgentFileClient {

    /** The header that carries the node's files key to its agent. */
    public static final String KEY_HEADER = "x-rebatch-files-key";

    private static final Logger log = LoggerFactory.getLogger(AgentFileClient.class);
    /** The most of an agent's error body (or file list) that is read. */
    private static final int MAX_JSON_BYTES = 16 * 1024 * 1024;
    private static final Object DONE = new Object();

    private final HttpClient http;
    private final Duration answerTimeout;
    private final Duration idleTimeout;

    /**
     * @param connectTimeout how long connecting to an agent may take
     * @param answerTimeout  how long an agent may take to start answering (and to send a list or an error whole)
     * @param idleTimeout    how long a file's bytes may stall before the transfer is abandoned
     */
    public AgentFileClient(Duration connectTimeout, Duration answerTimeout, Duration idleTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.answerTimeout = answerTimeout;
        this.idleTimeout = idleTimeout;
    }

    public static AgentFileClient withDefaults() {
        return new AgentFileClient(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    /** Where a task's files are: the agent's file server and the key it expects. */
    public record Agent(String nodeId, String filesUrl, String filesKey) {}

    /** The NodeFile entries of the task's directory as the agent lists them (no {@code url}). */
    public List<JsonNode> list(Agent agent, String jobId, String taskId, boolean recursive) {
        URI uri = uri(agent, taskPath(jobId, taskId) + "/files?recursive=" + recursive);
        Answer answer = send(agent, request(agent, uri).GET());
        JsonNode value;
        try {
            value = Json.MAPPER.readTree(answer.collect(MAX_JSON_BYTES, answerTimeout)).path("value");
        } catch (IOException | RuntimeException unreadable) {
            log.warn("The file server of node {} sent a file list that could not be read: {}", agent.nodeId(),
                    unreadable.toString());
            throw unavailable(agent, "sent a file list that could not be read");
        }
        if (!value.isArray()) {
            throw unavailable(agent, "sent a file list without a value array");
        }
        List<JsonNode> files = new java.util.ArrayList<>();
        value.forEach(files::add);
        return files;
    }

    /**
     * Opens a file: {@code GET} (with {@code range}, e.g. {@code bytes=0-99}, or null) or, with {@code headOnly},
     * {@code HEAD}. The caller reads the headers, then {@link Answer#pipe pipes} the body or {@link Answer#discard
     * discards} it.
     */
    public Answer open(Agent agent, String jobId, String taskId, String filePath, String range, boolean headOnly) {
        HttpRequest.Builder request = request(agent, uri(agent, filePath(jobId, taskId, filePath)));
        if (headOnly) {
            request.method("HEAD", HttpRequest.BodyPublishers.noBody());
        } else {
            request.GET();
            if (range != null) {
                request.header("ocp-range", range);
            }
        }
        return send(agent, request);
    }

    /** Deletes a file, or a directory ({@code recursive} for one that is not empty). */
    public void delete(Agent agent, String jobId, String taskId, String filePath, boolean recursive) {
        URI uri = uri(agent, filePath(jobId, taskId, filePath) + (recursive ? "?recursive=true" : ""));
        send(agent, request(agent, uri).DELETE()).discard();
    }

    private HttpRequest.Builder request(Agent agent, URI uri) {
        return HttpRequest.newBuilder(uri).timeout(answerTimeout).header(KEY_HEADER, agent.filesKey());
    }

    /** Sends the request; an error answer becomes the Batch refusal it stands for. */
    private Answer send(Agent agent, HttpRequest.Builder request) {
        HttpRequest built = request.build();
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> exchange =
                http.sendAsync(built, HttpResponse.BodyHandlers.ofPublisher());
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = exchange.get(answerTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            log.warn("The file server of node {} did not answer {} {} in {}", agent.nodeId(), built.method(),
                    built.uri(), answerTimeout);
            throw unavailable(agent, "it did not answer in time");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
                log.warn("The file server of node {} did not answer {} {} in {}", agent.nodeId(), built.method(),
                        built.uri(), answerTimeout);
                throw unavailable(agent, "it did not answer in time");
            }
            log.warn("Could not reach the file server of node {} for {} {}: {}", agent.nodeId(), built.method(),
                    built.uri(), e.getCause().toString());
            throw unavailable(agent, "it cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.cancel(true);
            throw unavailable(agent, "the request was interrupted");
        }
        Answer answer = new Answer(response);
        if (response.statusCode() >= 300) {
            throw answer.refusal(agent);
        }
        return answer;
    }

    private static URI uri(Agent agent, String path) {
        String base = agent.filesUrl().endsWith("/")
                ? agent.filesUrl().substring(0, agent.filesUrl().length() - 1) : agent.filesUrl();
        return URI.create(base + path);
    }

    private static String taskPath(String jobId, String taskId) {
        return "/jobs/" + segment(jobId) + "/tasks/" + segment(taskId);
    }

    private static String filePath(String jobId, String taskId, String filePath) {
        StringBuilder path = new StringBuilder(taskPath(jobId, taskId)).append("/files");
        for (String part : filePath.split("/", -1)) {
            path.append('/').append(segment(part));
        }
        return path.toString();
    }

    /** One path segment, percent-encoded (a space is %20, a slash cannot occur). */
    public static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static BatchException unavailable(Agent agent, String why) {
        return new BatchException(BatchErrorCode.TaskFilesUnavailable,
                "The files of the task are not available: the compute node that ran it cannot serve them now.",
                BatchException.detail("NodeId", agent.nodeId()), BatchException.detail("Reason",
                        "The node's file server " + why + "."));
    }

    /** An agent's answer whose headers have arrived; its body is read by one of the methods below. */
    public final class Answer {

        private final HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;

        private Answer(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
            this.response = response;
        }

        public int status() {
            return response.statusCode();
        }

        public Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        /** Drops the body (HEAD, DELETE, or a transfer the caller decided against). */
        public void discard() {
            response.body().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscription.cancel();
                }

                @Override
                public void onNext(List<ByteBuffer> item) {}

                @Override
                public void onError(Throwable throwable) {}

                @Override
                public void onComplete() {}
            });
        }

        /**
         * Copies the body to {@code out} one chunk at a time (the next chunk is asked for only once this one is
         * written), and gives up when no byte arrives for the idle timeout.
         *
         * @return the bytes copied
         * @throws IOException the client went away, or the agent stalled or failed mid-transfer (the answer is
         *                     committed by then: the caller can only drop the connection)
         */
        public long pipe(OutputStream out) throws IOException {
            BlockingQueue<Object> events = new LinkedBlockingQueue<>();
            AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
            response.body().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription.set(s);
                    s.request(1);
                }

                @Override
                public void onNext(List<ByteBuffer> item) {
                    events.add(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    events.add(throwable);
                }

                @Override
                public void onComplete() {
                    events.add(DONE);
                }
            });
            long copied = 0;
            byte[] chunk = new byte[64 * 1024];
            try {
                while (true) {
                    Object event = events.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    if (event == null) {
                        throw new IOException("the node's file server sent nothing for " + idleTimeout);
                    }
                    if (event == DONE) {
                        out.flush();
                        return copied;
                    }
                    if (event instanceof Throwable failure) {
                        throw new IOException("the node's file server failed mid-transfer", failure);
                    }
                    @SuppressWarnings("unchecked")
                    List<ByteBuffer> buffers = (List<ByteBuffer>) event;
                    for (ByteBuffer buffer : buffers) {
                        while (buffer.hasRemaining()) {
                            int n = Math.min(chunk.length, buffer.remaining());
                            buffer.get(chunk, 0, n);
                            out.write(chunk, 0, n);
                            copied += n;
                        }
                    }
                    subscription.get().request(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (IOException | RuntimeException e) {
                Flow.Subscription s = subscription.get();
                if (s != null) {
                    s.cancel();
                }
                throw e;
            }
        }

        /** The whole body, at most {@code limit} bytes, within {@code timeout}. */
        byte[] collect(int limit, Duration timeout) {
            CompletableFuture<byte[]> whole = new CompletableFuture<>();
            response.body().subscribe(new Flow.Subscriber<>() {
                private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                private Flow.Subscription subscription;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(List<ByteBuffer> item) {
                    for (ByteBuffer buffer : item) {
                        byte[] part = new byte[buffer.remaining()];
                        buffer.get(part);
                        bytes.writeBytes(part);
                    }
                    if (bytes.size() > limit) {
                        subscription.cancel();
                        whole.completeExceptionally(new IOException("more than " + limit + " bytes"));
                    }
                }

                @Override
                public void onError(Throwable throwable) {
                    whole.completeExceptionally(throwable);
                }

                @Override
                public void onComplete() {
                    whole.complete(bytes.toByteArray());
                }
            });
            try {
                return whole.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new CollectFailed(e);
            }
        }

        /** The Batch refusal an error answer stands for. */
        private BatchException refusal(Agent agent) {
            String code = null;
            String message = null;
            try {
                JsonNode error = Json.MAPPER.readTree(collect(64 * 1024, answerTimeout));
                code = error.path("code").asText(null);
                message = error.path("message").asText(null);
            } catch (IOException | RuntimeException unreadable) {
                // An error without a readable body: judged by its status alone.
            }
            int status = response.statusCode();
            BatchErrorCode known = known(code);
            if (status == 401 || status == 403) {
                log.warn("The file server of node {} refused the service's files key ({})", agent.nodeId(), status);
                return unavailable(agent, "refused the service's files key");
            }
            if (known != null && known.httpStatus() == status) {
                return new BatchException(known, message != null ? message : known.name());
            }
            return switch (status) {
                case 400 -> new BatchException(BatchErrorCode.InvalidInput,
                        message != null ? message : "One of the request inputs is not valid.");
                case 404 -> new BatchException(BatchErrorCode.FileNotFound,
                        message != null ? message : "The specified file does not exist.");
                case 416 -> new BatchException(BatchErrorCode.InvalidRange,
                        message != null ? message : "The range specified is invalid for the current size of the resource.");
                case 409 -> new BatchException(BatchErrorCode.OperationInvalidForCurrentState,
                        message != null ? message : "The specified operation is not valid for the current state of the resource.");
                default -> {
                    log.warn("The file server of node {} answered {} ({}: {})", agent.nodeId(), status, code, message);
                    yield unavailable(agent, "answered " + status);
                }
            };
        }
    }

    private static BatchErrorCode known(String code) {
        if (code == null) {
            return null;
        }
        try {
            return BatchErrorCode.valueOf(code);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /** A body that could not be read whole in time. */
    static final class CollectFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CollectFailed(Throwable cause) {
            super(cause);
        }
    }
}
