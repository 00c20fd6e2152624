package dev.rebatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.server.TestService;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TaskCommandTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();

    static Map<String, String> env;

    @BeforeAll
    static void poolAndJob() {
        env = Cli.environmentFor(service);
        assertThat(Cli.run(env, "pool", "create", "task-pool", "--vm-size", "standard_d2s_v3").exitCode()).isZero();
        assertThat(Cli.run(env, "job", "create", "work", "--pool", "task-pool", "--uses-task-dependencies")
                .exitCode()).isZero();
    }

    @Test
    void createListShowDelete() throws Exception {
        Cli.Result created = Cli.run(env, "task", "create", "work", "hello", "--command", "/bin/sh -c 'echo hello'",
                "--env", "GREETING=hi", "--env", "TARGET=world", "--max-task-retries", "1");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).isEqualTo("Added task hello to job work.\n");
        assertThat(Cli.run(env, "task", "create", "work", "after", "--command", "true", "--depends-on", "hello")
                .exitCode()).isZero();

        Cli.Result table = Cli.run(env, "task", "list", "work");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out().lines().findFirst().orElseThrow())
                .matches("ID\\s+STATE\\s+EXIT CODE\\s+RETRIES\\s+NODE\\s+COMMAND");
        assertThat(table.out()).containsPattern("(?m)^hello\\s+active\\s+0\\s+/bin/sh -c 'echo hello'$");

        JsonNode task = BatchJson.mapper().readTree(Cli.run(env, "task", "show", "work", "hello", "-o", "json").out());
        assertThat(task.get("commandLine").asText()).isEqualTo("/bin/sh -c 'echo hello'");
        assertThat(task.at("/environmentSettings/1/value").asText()).isEqualTo("world");
        assertThat(task.at("/constraints/maxTaskRetryCount").asInt()).isEqualTo(1);
        JsonNode after = BatchJson.mapper().readTree(Cli.run(env, "task", "show", "work", "after", "-o", "json").out());
        assertThat(after.at("/dependsOn/taskIds/0").asText()).isEqualTo("hello");

        Cli.Result shown = Cli.run(env, "task", "show", "work", "hello");
        assertThat(shown.out()).containsPattern("(?m)^environmentSettings\\[0\\]\\.name\\s+GREETING$");

        Cli.Result deleted = Cli.run(env, "task", "delete", "work", "hello");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        Cli.Result missing = Cli.run(env, "task", "show", "work", "hello");
        assertThat(missing.exitCode()).isEqualTo(Rebatch.SERVICE_REFUSED);
        assertThat(missing.err()).startsWith("Error: 404 TaskNotFound: ")
                .contains("list the job's tasks with: rebatch task list work");
    }

    @Test
    void createFromJsonOnStdin() throws Exception {
        Cli.Result created = Cli.runWithInput(env, """
                {"id": "from-json", "commandLine": "echo json", "requiredSlots": 1}
                """, "task", "create", "work", "--json", "-");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        JsonNode task = BatchJson.mapper().readTree(Cli.run(env, "task", "show", "work", "from-json", "-o", "json").out());
        assertThat(task.get("commandLine").asText()).isEqualTo("echo json");

        Cli.Result noCommand = Cli.run(env, "task", "create", "work", "bare");
        assertThat(noCommand.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(noCommand.err()).contains("Missing --command");
    }

    @Test
    void terminateAndReactivate() throws Exception {
        assertThat(Cli.run(env, "task", "create", "work", "long", "--command", "sleep 600").exitCode()).isZero();
        Cli.Result terminated = Cli.run(env, "task", "terminate", "work", "long");
        assertThat(terminated.exitCode()).as(terminated.toString()).isZero();
        assertThat(terminated.out()).isEqualTo("Terminated task long of job work.\n");
        assertThat(state("long")).isEqualTo("completed");

        Cli.Result reactivated = Cli.run(env, "task", "reactivate", "work", "long");
        assertThat(reactivated.exitCode()).as(reactivated.toString()).isZero();
        assertThat(state("long")).isEqualTo("active");
    }

    @Test
    void outputSaysPlainlyThatATaskThatHasNotRunHasNoFiles() {
        assertThat(Cli.run(env, "task", "create", "work", "printer", "--command", "echo out").exitCode()).isZero();
        for (String[] args : new String[][] {
                {"task", "output", "work", "printer"},
                {"task", "output", "work", "printer", "--stderr"}}) {
            Cli.Result output = Cli.run(env, args);
            assertThat(output.exitCode()).as(output.toString()).isEqualTo(Rebatch.SERVICE_REFUSED);
            assertThat(output.err()).startsWith("Error: task printer of job work has not run yet")
                    .contains("rebatch task output work printer --follow")
                    .doesNotContain("\tat ");
        }
        // Ended before it ran: it never will, and following it ends at once with the service's refusal.
        assertThat(Cli.run(env, "task", "terminate", "work", "printer").exitCode()).isZero();
        Cli.Result followed = Cli.run(env, "task", "output", "work", "printer", "--follow");
        assertThat(followed.exitCode()).as(followed.toString()).isEqualTo(Rebatch.SERVICE_REFUSED);
        assertThat(followed.err()).contains("TaskFilesUnavailable").doesNotContain("\tat ");
    }

    private static String state(String taskId) throws Exception {
        return BatchJson.mapper().readTree(Cli.run(env, "task", "show", "work", taskId, "-o", "json").out())
                .get("state").asText();
    }
}
