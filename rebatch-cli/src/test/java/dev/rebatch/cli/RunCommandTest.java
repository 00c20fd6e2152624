package dev.rebatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.client.BatchClient;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.OnAllTasksComplete;
import dev.rebatch.model.job.TaskCounts;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskState;
import dev.rebatch.server.TestService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code rebatch run} against the real service. No node agent runs in these tests, so the tasks never start: each run
 * ends at its {@code --timeout}, which is what is checked along with everything it created.
 */
class RunCommandTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();

    static Map<String, String> env;
    static BatchClient client;

    @TempDir
    Path directory;

    @BeforeAll
    static void connect() {
        env = Cli.environmentFor(service);
        client = BatchClient.builder().endpoint(service.endpoint()).sharedKey(TestService.ACCOUNT, TestService.KEY)
                .build();
        // The pool of the examples that name none: at an endpoint, it must exist.
        Cli.Result pool = Cli.run(env, "pool", "create", "local", "--vm-size", "local");
        assertThat(pool.exitCode()).as(pool.toString()).isZero();
    }

    Path file(String name, String json) throws Exception {
        Path file = directory.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    @Test
    void withAnEndpoint_createsThePoolTheJobAndTheTasks_thenWaitsUntilTheTimeout() throws Exception {
        Path job = file("hello.json", """
                {"pool": {"id": "run-pool", "targetDedicatedNodes": 0},
                 "job": {"id": "hello-run", "priority": 7},
                 "tasks": [{"id": "a", "commandLine": "/bin/true"}, {"id": "b", "commandLine": "/bin/true"}],
                 "taskTemplate": {"idPattern": "c{i}", "commandLine": "/bin/echo {i}", "range": {"start": 1, "end": 3}}}
                """);
        Cli.Result result = Cli.run(env, "run", job.toString(), "--timeout", "1s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        assertThat(result.err()).contains("Created the pool run-pool (0 nodes).\n")
                .contains("Created the job hello-run on the pool run-pool.\n")
                .contains("Adding 5 tasks...\n")
                .containsPattern("Added 5 tasks in [0-9.]+ s\\.\n")
                .contains("0/5 done (0 succeeded, 0 failed), 5 active, 0 running, 0 retries, 0 requeues")
                .contains("rebatch run: --timeout 1s passed before every task completed: 5 of 5 tasks are still "
                        + "active or running.");
        assertThat(result.out()).startsWith("Job hello-run on pool run-pool: 5 of 5 tasks not complete after ")
                .contains("(timed out); 0 succeeded, 0 failed.\n")
                .contains("Output: ./rebatch task output hello-run TASK (--stderr for stderr.txt)\n")
                .contains("The job goes on: ./rebatch job counts hello-run\n");

        CloudJob created = client.jobs().get("hello-run");
        assertThat(created.poolInfo().poolId()).isEqualTo("run-pool");
        assertThat(created.priority()).isEqualTo(7);
        assertThat(created.onAllTasksComplete()).as("set once every task was added").isEqualTo(
                OnAllTasksComplete.TERMINATE_JOB);
        List<CloudTask> tasks = client.tasks().list("hello-run").toList();
        assertThat(tasks).extracting(CloudTask::id).containsExactlyInAnyOrder("a", "b", "c1", "c2", "c3");
        assertThat(tasks).allSatisfy(task -> assertThat(task.state()).isEqualTo(TaskState.ACTIVE));
        assertThat(client.tasks().get("hello-run", "c2").commandLine()).isEqualTo("/bin/echo 2");
    }

    @Test
    void tenThousandTasks_areAllAddedInBulk() throws Exception {
        long started = System.nanoTime();
        Cli.Result result = Cli.run(env, "run", "../examples/ten-thousand.json", "--job-id", "ten-k", "--timeout",
                "1s", "--progress", "none");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        assertThat(result.err()).contains("Using the pool local.").contains("Added 10000 tasks in ");
        assertThat(took).as("10,000 tasks through addTasks").isLessThan(Duration.ofMinutes(2));
        TaskCounts counts = client.jobs().taskCounts("ten-k").taskCounts();
        assertThat(counts.active()).isEqualTo(10_000);
        assertThat(client.tasks().get("ten-k", "t00042").commandLine()).isEqualTo("/bin/true");
        assertThat(result.out()).startsWith("Job ten-k on pool local: 10000 of 10000 tasks not complete");
    }

    @Test
    void theSummaryAsJson() throws Exception {
        Path job = file("json.json", """
                {"pool": {"id": "json-pool", "targetDedicatedNodes": 0},
                 "tasks": [{"id": "a", "commandLine": "/bin/true"}, {"id": "b", "commandLine": "/bin/true"}]}
                """);
        Cli.Result result = Cli.run(env, "run", job.toString(), "--timeout", "500ms", "-o", "json",
                "--job-id", "as-json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        JsonNode summary = BatchJson.mapper().readTree(result.out());
        assertThat(summary.get("jobId").asText()).isEqualTo("as-json");
        assertThat(summary.get("poolId").asText()).isEqualTo("json-pool");
        assertThat(summary.get("total").asInt()).isEqualTo(2);
        assertThat(summary.get("incomplete").asInt()).isEqualTo(2);
        assertThat(summary.get("timedOut").asBoolean()).isTrue();
        assertThat(summary.get("failures").size()).isZero();
        assertThat(summary.get("exitCode").asInt()).isEqualTo(4);
    }

    @Test
    void aMadeUpJobId_whenTheFileHasNone() throws Exception {
        Path job = file("no-id.json", """
                {"pool": {"id": "made-up-pool", "targetDedicatedNodes": 0},
                 "tasks": [{"id": "a", "commandLine": "/bin/true"}]}
                """);
        Cli.Result result = Cli.run(env, "run", job.toString(), "--timeout", "200ms");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        Matcher id = Pattern.compile("Created the job (run-\\d{8}-\\d{6}-\\d{3}) ").matcher(result.err());
        assertThat(id.find()).as(result.err()).isTrue();
        assertThat(client.jobs().get(id.group(1)).poolInfo().poolId()).isEqualTo("made-up-pool");
    }

    @Test
    void aPoolTheJobNames_mustExistAtTheEndpoint() throws Exception {
        Path job = file("nowhere.json", """
                {"job": {"id": "lost", "poolInfo": {"poolId": "nowhere"}},
                 "tasks": [{"id": "a", "commandLine": "/bin/true"}]}
                """);
        Cli.Result result = Cli.run(env, "run", job.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("Error: the pool nowhere does not exist\n")
                .contains("add a \"pool\" to the job file to have it created, or create it: ./rebatch pool create "
                        + "nowhere --vm-size local --nodes ");
        assertThat(client.jobs().list().map(CloudJob::id).toList()).doesNotContain("lost");
    }

    @Test
    void anExistingJob_isNotReused() throws Exception {
        Path job = file("twice.json", """
                {"pool": {"id": "twice-pool", "targetDedicatedNodes": 0},
                 "job": {"id": "twice"}, "tasks": [{"id": "a", "commandLine": "/bin/true"}]}
                """);
        assertThat(Cli.run(env, "run", job.toString(), "--timeout", "100ms").exitCode()).isEqualTo(4);
        Cli.Result again = Cli.run(env, "run", job.toString(), "--timeout", "100ms");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).contains("Using the existing pool twice-pool")
                .contains("Error: the job twice exists already\n")
                .contains("run it under another id: --job-id ID");
    }

    @Test
    void aBadJobFile_isAUsageError_saysWhere_andSendsNothing() throws Exception {
        Path job = file("bad.json", """
                {"job": {"id": "never-created"},
                 "tasks": [{"id": "a", "commandLine": "/bin/true"},
                           {"id": "b", "commandLine": "/bin/true", "dependsOn": {"taskIds": ["z"]}}]}
                """);
        Cli.Result result = Cli.run(env, "run", job.toString());
        assertThat(result.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(result.err()).isEqualTo("rebatch run: " + job + ":3:78: tasks[1].dependsOn.taskIds[0]: depends "
                + "on the task z, which is not in this file: b would wait for it forever\n");
        assertThat(client.jobs().list().map(CloudJob::id).toList()).doesNotContain("never-created");

        Cli.Result missing = Cli.run(env, "run", directory.resolve("absent.json").toString());
        assertThat(missing.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(missing.err()).endsWith("absent.json: no such file\n");
    }

    @Test
    void usageErrors() {
        assertThat(Cli.run(env, "run", "x.json", "--nodes", "0").err()).contains("--nodes must be from 1 to 1000");
        Cli.Result timeout = Cli.run(env, "run", "x.json", "--timeout", "soon");
        assertThat(timeout.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(timeout.err()).contains("--timeout: not a duration: soon");
        assertThat(Cli.run(env, "run", "x.json", "--job-id", "a b").exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(Cli.run(env, "run").err()).contains("Missing required parameter: 'JOBFILE'");
    }

    @Test
    void anUnreachableEndpoint_exitsThree() throws Exception {
        Path job = file("far.json", "{\"tasks\": [{\"id\": \"a\", \"commandLine\": \"/bin/true\"}]}");
        Cli.Result result = Cli.run(env, "run", job.toString(), "--endpoint", "http://127.0.0.1:9", "--retries", "0");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Rebatch.UNREACHABLE);
        assertThat(result.err()).contains("Error: cannot reach the service at http://127.0.0.1:9: connection refused");
    }

    @Test
    void withoutAnEndpoint_theServiceRunsInside_overAKeptStoreWithData() throws Exception {
        Path data = directory.resolve("data");
        Path job = file("inside.json", """
                {"job": {"id": "inside"}, "tasks": [{"id": "a", "commandLine": "/bin/true"}]}
                """);
        // The account of the test service, so that the store can be opened by it afterwards.
        Map<String, String> account = Map.of("REBATCH_ACCOUNT_NAME", TestService.ACCOUNT,
                "REBATCH_ACCOUNT_KEY", TestService.KEY);
        // The command's own local node agents run the task; the timeout only bounds a broken run.
        Cli.Result result = Cli.run(account, "run", job.toString(), "--data", data.toString(), "--nodes", "2",
                "--timeout", "60s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Job inside on pool local: the task succeeded");
        assertThat(result.err()).containsPattern("Started the service inside this command at http://127\\.0\\.0\\.1:"
                + "\\d+ \\(store in " + Pattern.quote(data.toString()) + "\\)\\.\n")
                .contains("Created the pool local (2 nodes).");
        assertThat(result.out()).contains("The service ran inside this command; its store stays in " + data + ".\n")
                .contains("To look at the job again: ./rebatch server --data " + data + ", then ./rebatch task "
                        + "output inside TASK\n");
        Cli.Result second = Cli.run(account, "run", job.toString(), "--data", data.toString(), "--nodes", "3",
                "--timeout", "60s", "--job-id", "inside-2");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.err()).as("resized, so that the agents of this command start for it")
                .contains("Using the existing pool local (3 nodes).");
        try (TestService reopened = new TestService(data)) {
            BatchClient again = BatchClient.builder().endpoint(reopened.endpoint())
                    .sharedKey(TestService.ACCOUNT, TestService.KEY).build();
            assertThat(again.tasks().get("inside", "a").state()).isEqualTo(TaskState.COMPLETED);
            assertThat(again.tasks().get("inside-2", "a").state()).isEqualTo(TaskState.COMPLETED);
            assertThat(again.pools().get("local").targetDedicatedNodes()).isEqualTo(3);
        }
    }

    @Test
    void withoutAnEndpointOrData_theTemporaryStoreIsRemoved() throws Exception {
        Path job = file("temporary.json", "{\"tasks\": [{\"id\": \"a\", \"commandLine\": \"/bin/true\"}]}");
        Cli.Result result = Cli.run(Map.of(), "run", job.toString(), "--timeout", "60s", "--nodes", "1");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Matcher store = Pattern.compile("\\(store in (\\S+), removed at the end\\)").matcher(result.err());
        assertThat(store.find()).as(result.err()).isTrue();
        assertThat(Path.of(store.group(1))).doesNotExist();
        assertThat(result.out()).contains("its temporary store is removed now");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "transient-failures", "exit-conditions", "dependencies"})
    void theServiceTakesEveryTaskOfTheExamples(String example) {
        Cli.Result result = Cli.run(env, "run", "../examples/" + example + ".json", "--job-id", "example-" + example,
                "--timeout", "200ms", "--progress", "none");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        assertThat(result.err()).containsPattern("Added \\d+ tasks in ");
        CloudJob job = client.jobs().get("example-" + example);
        assertThat(client.tasks().list(job.id()).count()).isEqualTo(job.id().equals("example-transient-failures")
                ? 8 : job.id().equals("example-hello") ? 3 : 5);
    }
}
