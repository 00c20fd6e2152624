package dev.rebatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Help, version and usage errors: no service needed. */
class CommandLineTest {

    @Test
    void helpListsTheCommandTree() {
        Cli.Result help = Cli.run(Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: rebatch", "server", "pool", "job", "task", "node",
                "REBATCH_ENDPOINT", "Exit codes: 0 done, 1 the service refused, 2 usage error, 3 cannot reach");

        Cli.Result job = Cli.run(Map.of(), "job", "--help");
        assertThat(job.exitCode()).isZero();
        assertThat(job.out()).contains("list", "show", "create", "delete", "terminate", "disable", "enable", "counts")
                .doesNotContain("Exit codes");

        Cli.Result task = Cli.run(Map.of(), "help", "task");
        assertThat(task.out()).contains("list", "show", "create", "delete", "terminate", "reactivate", "output");

        Cli.Result create = Cli.run(Map.of(), "task", "create", "--help");
        assertThat(create.out()).contains("--command", "--json", "--endpoint", "--output");

        Cli.Result bare = Cli.run(Map.of());
        assertThat(bare.exitCode()).isZero();
        assertThat(bare.out()).contains("Usage: rebatch");
    }

    @Test
    void version() {
        Cli.Result version = Cli.run(Map.of(), "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("rebatch 0.").contains("Java ");
    }

    @Test
    void usageErrorsExit2WithOneLineAndWhereTheHelpIs() {
        Cli.Result unknown = Cli.run(Map.of(), "jbo");
        assertThat(unknown.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(unknown.err()).contains("rebatch: Unmatched argument at index 0: 'jbo'", "See 'rebatch --help'.");

        Cli.Result missingSubcommand = Cli.run(Map.of(), "pool");
        assertThat(missingSubcommand.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(missingSubcommand.err()).contains("Missing required subcommand", "See 'rebatch pool --help'.");

        Cli.Result missingArgument = Cli.run(Map.of(), "job", "show");
        assertThat(missingArgument.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(missingArgument.err()).contains("Missing required parameter: 'JOB'");

        Cli.Result badOutput = Cli.run(Map.of(), "job", "list", "--output", "yaml");
        assertThat(badOutput.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(badOutput.err()).contains("--output");
    }
}
