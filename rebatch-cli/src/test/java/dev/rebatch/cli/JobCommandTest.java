package dev.rebatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.server.TestService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class JobCommandTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();

    static Map<String, String> env;

    @BeforeAll
    static void pool() {
        env = Cli.environmentFor(service);
        assertThat(Cli.run(env, "pool", "create", "jobs-pool", "--vm-size", "standard_d2s_v3").exitCode()).isZero();
    }

    @Test
    void createListShowDelete() throws Exception {
        Cli.Result created = Cli.run(env, "job", "create", "render", "--pool", "jobs-pool", "--priority", "5",
                "--max-task-retries", "2", "--display-name", "Render frames");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).isEqualTo("Created job render.\n");
        assertThat(created.err()).as("credentials came from the environment: no notice").isEmpty();

        Cli.Result table = Cli.run(env, "job", "list");
        assertThat(table.exitCode()).isZero();
        String[] lines = table.out().split("\n");
        assertThat(lines[0]).startsWith("ID").contains("STATE", "POOL", "PRIORITY", "CREATED");
        assertThat(table.out()).containsPattern("render\\s+active\\s+jobs-pool\\s+5\\s+\\d{4}-\\d\\d-\\d\\dT");
        // Aligned: every column starts at the same offset in each line.
        String renderLine = table.out().lines().filter(line -> line.startsWith("render")).findFirst().orElseThrow();
        assertThat(renderLine.indexOf("active")).isEqualTo(lines[0].indexOf("STATE"));

        Cli.Result json = Cli.run(env, "job", "show", "render", "--output", "json");
        assertThat(json.exitCode()).isZero();
        JsonNode job = BatchJson.mapper().readTree(json.out());
        assertThat(job.get("id").asText()).isEqualTo("render");
        assertThat(job.get("displayName").asText()).isEqualTo("Render frames");
        assertThat(job.get("priority").asInt()).isEqualTo(5);
        assertThat(job.at("/constraints/maxTaskRetryCount").asInt()).isEqualTo(2);
        assertThat(job.at("/poolInfo/poolId").asText()).isEqualTo("jobs-pool");
        assertThat(json.out()).as("pretty-printed").contains("\n  \"id\" : \"render\"");

        Cli.Result shown = Cli.run(env, "job", "show", "render");
        assertThat(shown.out()).containsPattern("(?m)^poolInfo\\.poolId\\s+jobs-pool$")
                .containsPattern("(?m)^state\\s+active$");

        Cli.Result deleted = Cli.run(env, "job", "delete", "render");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("Deleting job render.");
        JsonNode after = BatchJson.mapper().readTree(Cli.run(env, "job", "list", "-o", "json").out());
        after.forEach(remaining -> assertThat(remaining.get("id").asText()).isNotEqualTo("render"));
    }

    @Test
    void listAsJsonIsAnArrayOfBatchJobs() throws Exception {
        Cli.run(env, "job", "create", "json-1", "--pool", "jobs-pool");
        Cli.Result json = Cli.run(env, "job", "list", "--output", "json", "--filter", "id eq 'json-1'");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode jobs = BatchJson.mapper().readTree(json.out());
        assertThat(jobs.isArray()).isTrue();
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).get("state").asText()).isEqualTo("active");
        assertThat(jobs.get(0).has("odata.metadata")).isFalse();
    }

    @Test
    void filterSelectAndMaxResults() {
        for (String id : new String[] {"page-1", "page-2", "page-3"}) {
            assertThat(Cli.run(env, "job", "create", id, "--pool", "jobs-pool").exitCode()).isZero();
        }
        Cli.Result filtered = Cli.run(env, "job", "list", "--filter", "startswith(id, 'page-')");
        assertThat(filtered.exitCode()).as(filtered.toString()).isZero();
        assertThat(filtered.out().lines().filter(line -> line.startsWith("page-"))).hasSize(3);
        assertThat(filtered.out()).doesNotContain("json-1");

        Cli.Result selected = Cli.run(env, "job", "list", "--filter", "id eq 'page-2'", "--select", "id,state");
        assertThat(selected.exitCode()).as(selected.toString()).isZero();
        assertThat(selected.out()).isEqualTo("ID      STATE\npage-2  active\n");

        Cli.Result limited = Cli.run(env, "job", "list", "--max-results", "2", "-o", "json");
        assertThat(limited.exitCode()).isZero();
        assertThat(limited.out().lines().filter(line -> line.startsWith("  \"id\""))).hasSize(2);

        assertThat(Cli.run(env, "job", "list", "--max-results", "0").exitCode()).isEqualTo(Rebatch.USAGE);
    }

    @Test
    void createFromJsonFile(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("job.json");
        Files.writeString(body, """
                {"id": "from-file", "poolInfo": {"poolId": "jobs-pool"}, "priority": 42,
                 "metadata": [{"name": "owner", "value": "cli"}],
                 "jobManagerTask": {"id": "manager", "commandLine": "run"}}
                """);
        Cli.Result created = Cli.run(env, "job", "create", "--json", body.toString());
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).isEqualTo("Created job from-file.\n");
        assertThat(created.err()).contains("not sending jobManagerTask");

        JsonNode job = BatchJson.mapper().readTree(Cli.run(env, "job", "show", "from-file", "-o", "json").out());
        assertThat(job.get("priority").asInt()).isEqualTo(42);
        assertThat(job.at("/metadata/0/value").asText()).isEqualTo("cli");

        // The ID argument fills in a body without one; -o json prints the created job.
        Cli.Result fromStdin = Cli.runWithInput(env, "{\"poolInfo\": {\"poolId\": \"jobs-pool\"}}",
                "job", "create", "from-stdin", "--json", "-", "-o", "json");
        assertThat(fromStdin.exitCode()).as(fromStdin.toString()).isZero();
        assertThat(BatchJson.mapper().readTree(fromStdin.out()).get("id").asText()).isEqualTo("from-stdin");
    }

    @Test
    void createRefusesWhatItCannotSend(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("job.json");
        Files.writeString(body, "{\"id\": \"one\", \"poolInfo\": {\"poolId\": \"jobs-pool\"}}");

        Cli.Result both = Cli.run(env, "job", "create", "--json", body.toString(), "--priority", "3");
        assertThat(both.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(both.err()).contains("leave out --priority").doesNotContain("Usage:");

        Cli.Result otherId = Cli.run(env, "job", "create", "two", "--json", body.toString());
        assertThat(otherId.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(otherId.err()).contains("differs from the id");

        Files.writeString(body, "{\"id\": ");
        Cli.Result broken = Cli.run(env, "job", "create", "--json", body.toString());
        assertThat(broken.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(broken.err()).contains("is not valid JSON");

        Cli.Result missing = Cli.run(env, "job", "create", "--json", dir.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(missing.err()).contains("no such file");

        Cli.Result noPool = Cli.run(env, "job", "create", "lonely");
        assertThat(noPool.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(noPool.err()).contains("Missing --pool");
    }

    @Test
    void disableEnableTerminateAndCounts() throws Exception {
        assertThat(Cli.run(env, "job", "create", "states", "--pool", "jobs-pool").exitCode()).isZero();
        assertThat(Cli.run(env, "task", "create", "states", "t1", "--command", "echo 1").exitCode()).isZero();

        Cli.Result counts = Cli.run(env, "job", "counts", "states");
        assertThat(counts.exitCode()).as(counts.toString()).isZero();
        assertThat(counts.out()).containsPattern("ACTIVE\\s+RUNNING\\s+COMPLETED\\s+SUCCEEDED\\s+FAILED")
                .containsPattern("(?m)^tasks\\s+1\\s+0\\s+0\\s+0\\s+0$");
        JsonNode countsJson = BatchJson.mapper().readTree(Cli.run(env, "job", "counts", "states", "-o", "json").out());
        assertThat(countsJson.at("/taskCounts/active").asInt()).isEqualTo(1);

        Cli.Result disabled = Cli.run(env, "job", "disable", "states", "--disable-tasks", "terminate");
        assertThat(disabled.exitCode()).as(disabled.toString()).isZero();
        assertThat(state("states")).isIn("disabling", "disabled");

        assertThat(Cli.run(env, "job", "enable", "states").exitCode()).isZero();
        assertThat(state("states")).isIn("enabling", "active");

        Cli.Result terminated = Cli.run(env, "job", "terminate", "states", "--reason", "done here");
        assertThat(terminated.exitCode()).as(terminated.toString()).isZero();
        assertThat(state("states")).isIn("terminating", "completed");
    }

    @Test
    void aMissingJobIsOneClearLineAndExitCode1() {
        Cli.Result missing = Cli.run(env, "job", "show", "no-such-job");
        assertThat(missing.exitCode()).isEqualTo(Rebatch.SERVICE_REFUSED);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).startsWith("Error: 404 JobNotFound: The specified job does not exist.\n")
                .contains("list jobs with: rebatch job list")
                .doesNotContain("RequestId", "\tat ", "Exception");

        Cli.Result debug = Cli.run(env, "job", "delete", "no-such-job", "--debug");
        assertThat(debug.exitCode()).isEqualTo(Rebatch.SERVICE_REFUSED);
        assertThat(debug.err()).contains("404 JobNotFound", "\tat ");
    }

    private static String state(String jobId) throws Exception {
        return BatchJson.mapper().readTree(Cli.run(env, "job", "show", jobId, "-o", "json").out()).get("state").asText();
    }
}
