package dev.rebatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.BatchClient;
import dev.rebatch.model.job.JobState;
import dev.rebatch.server.dispatch.FakeAgent;
import dev.rebatch.server.TestService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebatch run} to the end: a fake node agent (the node-agent protocol, no processes) does the tasks while the
 * command waits, so the summary counts real completions, retries and failures.
 */
class RunWithAgentTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();

    @TempDir
    Path directory;

    /** Leases tasks and reports them: flaky-* fail their first attempt, bad always exits 2, the rest exit 0. */
    static final class Worker implements Runnable {
        final FakeAgent agent = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
        final Map<String, Integer> attempts = new ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();

        @Override
        public void run() {
            while (!stop.get()) {
                agent.poll(null, 200);
                for (FakeAgent.Held attempt : agent.held()) {
                    int attempt1 = attempts.merge(attempt.taskId(), 1, Integer::sum);
                    agent.start(attempt.jobId(), attempt.taskId(), attempt.epoch());
                    int exitCode = attempt.taskId().equals("bad") ? 2
                            : attempt.taskId().startsWith("flaky") && attempt1 == 1 ? 1 : 0;
                    agent.complete(attempt.jobId(), attempt.taskId(), attempt.epoch(), exitCode);
                }
            }
        }
    }

    @Test
    void theSummaryCountsWhatTheAgentDid() throws Exception {
        Map<String, String> env = Cli.environmentFor(service);
        assertThat(Cli.run(env, "pool", "create", "agent-pool", "--vm-size", "local").exitCode()).isZero();
        Worker worker = new Worker();
        worker.agent.register("agent-pool", 4);
        CompletableFuture<Void> working = CompletableFuture.runAsync(worker);
        Path job = directory.resolve("job.json");
        Files.writeString(job, """
                {"job": {"id": "with-agent", "poolInfo": {"poolId": "agent-pool"}},
                 "tasks": [{"id": "bad", "commandLine": "/bin/false"}],
                 "taskTemplate": [
                   {"idPattern": "ok-{i}", "commandLine": "/bin/true", "range": {"start": 1, "end": 5}},
                   {"idPattern": "flaky-{i}", "commandLine": "/bin/true", "range": {"start": 1, "end": 3},
                    "constraints": {"maxTaskRetryCount": 2}}]}
                """);
        Cli.Result result;
        try {
            result = Cli.run(env, "run", job.toString(), "--timeout", "60s");
        } finally {
            worker.stop.set(true);
            working.get(30, TimeUnit.SECONDS);
        }

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).startsWith("Job with-agent on pool agent-pool: 9 tasks, 8 succeeded, 1 failed in ")
                .contains("  retries: 3, requeues: 0\n")
                .contains("Failures:\n  1 task  exit code 2, FailureExitCode  bad\n")
                .contains("Slowest tasks:\n")
                .contains("Output: ./rebatch task output with-agent bad (--stderr for stderr.txt)\n");
        assertThat(result.err()).contains("9/9 done (8 succeeded, 1 failed)");
        BatchClient client = BatchClient.builder().endpoint(service.endpoint())
                .sharedKey(TestService.ACCOUNT, TestService.KEY).build();
        assertThat(client.jobs().get("with-agent").state()).as("onAllTasksComplete terminatejob, set by the run")
                .isEqualTo(JobState.COMPLETED);
    }
}
