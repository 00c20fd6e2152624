package dev.rebatch.cli;

import dev.rebatch.server.TestService;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** Runs the rebatch command in this JVM, as the launcher would, with its output captured. */
final class Cli {

    /** What one command did. */
    record Result(int exitCode, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    private Cli() {}

    /** The environment of a user who set REBATCH_ENDPOINT and the test account's credentials. */
    static Map<String, String> environmentFor(TestService service) {
        return Map.of("REBATCH_ENDPOINT", service.endpoint(), "REBATCH_ACCOUNT_NAME", TestService.ACCOUNT,
                "REBATCH_ACCOUNT_KEY", TestService.KEY);
    }

    static Result run(Map<String, String> environment, String... args) {
        return run(environment, new ByteArrayInputStream(new byte[0]), args);
    }

    static Result runWithInput(Map<String, String> environment, String stdin, String... args) {
        return run(environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    static Result run(Map<String, String> environment, InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Rebatch.commandLine(environment, stdin);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
