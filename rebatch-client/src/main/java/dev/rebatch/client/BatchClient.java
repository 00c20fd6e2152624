package dev.rebatch.client;

import dev.rebatch.client.http.BatchTransport;
import dev.rebatch.client.http.SharedKeyCredentials;
import dev.rebatch.model.ApiVersion;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.retry.RetryHandler;
import dev.rebatch.retry.policy.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A client of one Batch account: Rebatch, or Azure Batch with Shared Key credentials. Every call goes through the
 * client's one {@link RetryHandler}, which classifies each failure and waits the right time before retrying; what
 * it cannot fix surfaces as a {@link dev.rebatch.client.errors.BatchException} that says why and lists every
 * attempt. Thread-safe: share one client per account across the application.
 *
 * <pre>{@code
 * BatchClient batch = BatchClient.builder()
 *         .endpoint("http://127.0.0.1:8070")
 *         .sharedKey("devaccount", key)
 *         .retryPolicy(RetryPolicyProvider.exponentialRetry(Duration.ofSeconds(1), 6))
 *         .build();
 * batch.jobs().create(JobSpec.of("render", "pool-1"));
 * }</pre>
 */
public final class BatchClient {

    private final RetryHandler retryHandler;
    private final PoolOperations pools;
    private final ComputeNodeOperations nodes;
    private final JobOperations jobs;
    private final TaskOperations tasks;
    private final FileOperations files;
    private final NodeAgentOperations nodeAgent;
    private final URI endpoint;
    private final String accountName;

    private BatchClient(Builder builder) {
        this.retryHandler = builder.retryHandler();
        BatchTransport transport = new BatchTransport(builder.httpClient(), builder.endpoint, builder.apiVersion,
                builder.credentials, builder.clock, BatchJson.mapper());
        BatchCalls calls = new BatchCalls(transport, retryHandler, BatchJson.mapper());
        this.pools = new PoolOperations(calls);
        this.nodes = new ComputeNodeOperations(calls);
        this.jobs = new JobOperations(calls);
        this.tasks = new TaskOperations(calls, jobs);
        this.files = new FileOperations(calls);
        this.nodeAgent = new NodeAgentOperations(calls);
        this.endpoint = transport.endpoint();
        this.accountName = builder.credentials.accountName();
    }

    public static Builder builder() {
        return new Builder();
    }

    public PoolOperations pools() {
        return pools;
    }

    public ComputeNodeOperations nodes() {
        return nodes;
    }

    public JobOperations jobs() {
        return jobs;
    }

    public TaskOperations tasks() {
        return tasks;
    }

    public FileOperations files() {
        return files;
    }

    /** The node-agent protocol: what a compute-node agent calls (Rebatch only; not part of Azure Batch). */
    public NodeAgentOperations nodeAgent() {
        return nodeAgent;
    }

    /** The account endpoint the client calls, without a trailing slash. */
    public URI endpoint() {
        return endpoint;
    }

    /** The account the client signs as. */
    public String accountName() {
        return accountName;
    }

    /** The client's one retry handler: its budget and rate limiter are shared by all the client's calls. */
    public RetryHandler retryHandler() {
        return retryHandler;
    }

    /** Configures a client; {@link #endpoint} and {@link #sharedKey} are required. */
    public static final class Builder {

        private URI endpoint;
        private SharedKeyCredentials credentials;
        private RetryPolicy retryPolicy;
        private RetryHandler retryHandler;
        private Duration attemptTimeout;
        private String apiVersion = ApiVersion.V2024_07_01;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The account endpoint, such as {@code http://127.0.0.1:8070} or {@code https://acct.region.batch.azure.com}. */
        public Builder endpoint(String endpoint) {
            return endpoint(URI.create(Objects.requireNonNull(endpoint, "endpoint")));
        }

        public Builder endpoint(URI endpoint) {
            if (!endpoint.isAbsolute() || endpoint.getHost() == null) {
                throw new IllegalArgumentException("The endpoint must be an absolute http(s) URL such as "
                        + "http://127.0.0.1:8070, was " + endpoint);
            }
            this.endpoint = endpoint;
            return this;
        }

        /** The account name and its Base64 key. */
        public Builder sharedKey(String accountName, String base64Key) {
            this.credentials = new SharedKeyCredentials(accountName, base64Key);
            return this;
        }

        /** The retry policy of every call (default: exponential, 1 s base, 6 retries, full jitter). */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How long each attempt may take (default 60 s). */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * A fully configured handler (budget, adaptive pacing, listener, time source), instead of the default one.
         * {@link #retryPolicy} and {@link #attemptTimeout} then do not apply: configure them on the handler.
         */
        public Builder retryHandler(RetryHandler handler) {
            this.retryHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** The api-version sent (default 2024-07-01.20.0). */
        public Builder apiVersion(String version) {
            this.apiVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** The JDK HttpClient to use, to set a proxy, an executor or TLS settings. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /** The clock for ocp-date; the service refuses requests more than 15 minutes off. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public BatchClient build() {
            if (endpoint == null) {
                throw new IllegalStateException("Set the endpoint: BatchClient.builder().endpoint(\"http://127.0.0.1:8070\")");
            }
            if (credentials == null) {
                throw new IllegalStateException("Set the credentials: BatchClient.builder().sharedKey(account, key)");
            }
            if (retryHandler != null && (retryPolicy != null || attemptTimeout != null)) {
                throw new IllegalStateException("retryPolicy and attemptTimeout belong on the RetryHandler when "
                        + "one is given");
            }
            return new BatchClient(this);
        }

        private RetryHandler retryHandler() {
            if (retryHandler != null) {
                return retryHandler;
            }
            RetryHandler.Builder handler = RetryHandler.builder();
            if (retryPolicy != null) {
                handler.policy(retryPolicy);
            }
            if (attemptTimeout != null) {
                handler.attemptTimeout(attemptTimeout);
            }
            return handler.build();
        }

        private HttpClient httpClient() {
            // HTTP/1.1 as the Batch service speaks it; a connect timeout so that an unreachable endpoint fails as
            // "not sent" (safe to retry) rather than as an attempt timeout (outcome unknown).
            return httpClient != null ? httpClient : HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
        }
    }
}
