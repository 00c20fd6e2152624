package dev.rebatch.server.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.http.BatchException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the service's file client bounds an agent that answers slowly, stalls mid-file or answers nonsense. */
class AgentFileClientTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private AgentFileClient client;
    private AgentFileClient.Agent agent;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/files/jobs/j/tasks/slow/files", exchange -> {
            await();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/files/jobs/j/tasks/stall/files/f", exchange -> {
            exchange.sendResponseHeaders(200, 100);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            await(); // 90 bytes never come
            exchange.close();
        });
        server.createContext("/files/jobs/j/tasks/garbage/files", exchange -> {
            byte[] body = "not json".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/files/jobs/j/tasks/broken/files/f", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        client = new AgentFileClient(Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofMillis(300));
        agent = new AgentFileClient.Agent("node-1", "http://127.0.0.1:" + server.getAddress().getPort() + "/files",
                "key");
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private void await() {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anAgentThatDoesNotAnswerInTimeIsTaskFilesUnavailable() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.list(agent, "j", "slow", false)).isInstanceOfSatisfying(BatchException.class,
                e -> assertThat(e.code()).isEqualTo(BatchErrorCode.TaskFilesUnavailable));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
    }

    @Test
    void aFileWhoseBytesStallIsAbandonedAfterTheIdleTimeout() {
        AgentFileClient.Answer answer = client.open(agent, "j", "stall", "f", null, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long started = System.nanoTime();

        assertThatThrownBy(() -> answer.pipe(out)).isInstanceOf(IOException.class).hasMessageContaining("nothing");
        assertThat(out.size()).isEqualTo(10);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
    }

    @Test
    void aListThatIsNotJsonOrAServerErrorIsTaskFilesUnavailable() {
        assertThatThrownBy(() -> client.list(agent, "j", "garbage", true)).isInstanceOfSatisfying(
                BatchException.class, e -> assertThat(e.code()).isEqualTo(BatchErrorCode.TaskFilesUnavailable));
        assertThatThrownBy(() -> client.open(agent, "j", "broken", "f", null, false)).isInstanceOfSatisfying(
                BatchException.class, e -> assertThat(e.code()).isEqualTo(BatchErrorCode.TaskFilesUnavailable));
    }
}
