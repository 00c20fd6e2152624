package dev.rebatch.cli.crash;

import dev.rebatch.cli.Rebatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code rebatch} command ({@code server} or {@code node}) in a JVM of its own, a real OS process that a test can
 * kill with SIGKILL. Its stdout and stderr go to files ({@code NAME.out}, {@code NAME.err}) in the given directory,
 * so that a test can wait for what it prints and show the end of its log when something goes wrong.
 */
final class ChildJvm implements AutoCloseable {

    /** The account every child serves or uses (the development account is not used, to prove the keys pass). */
    static final String ACCOUNT = "crashaccount";
    static final String KEY = java.util.Base64.getEncoder()
            .encodeToString("crash-account-key-0123456789abcd".getBytes(StandardCharsets.UTF_8));

    private static final Pattern BANNER = Pattern.compile("serving the Azure Batch API at http://[^:]+:(\\d+)");
    private static final Pattern JOINED = Pattern.compile("as node (tvmps_[0-9a-f]+)");

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildJvm(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts {@code rebatch ARGS} with this JVM's java binary and class path (every module's classes, as the test
     * lives in rebatch-cli), the test account in {@code REBATCH_ACCOUNT_NAME}/{@code REBATCH_ACCOUNT_KEY}.
     */
    static ChildJvm start(String name, Path logDirectory, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                // SQLite's native library, as ./rebatch allows it; a modest heap, as four JVMs share the machine.
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                Rebatch.class.getName()));
        command.addAll(List.of(args));
        Path out = logDirectory.resolve(name + ".out");
        Path err = logDirectory.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(variable -> variable.startsWith("REBATCH_"));
        environment.put("REBATCH_ACCOUNT_NAME", ACCOUNT);
        environment.put("REBATCH_ACCOUNT_KEY", KEY);
        try {
            return new ChildJvm(name, builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code rebatch server ARGS}; returns once it prints its banner (the endpoint). */
    static ChildJvm server(String name, Path logDirectory, String... args) {
        List<String> all = new ArrayList<>(List.of("server", "--port", "0"));
        all.addAll(List.of(args));
        ChildJvm child = start(name, logDirectory, all.toArray(String[]::new));
        try {
            child.awaitOutput(BANNER, Duration.ofSeconds(60));
        } catch (RuntimeException | Error failed) {
            child.close();
            throw failed;
        }
        return child;
    }

    /** {@code rebatch node --endpoint URL --pool POOL --slots N --root DIR}; returns once it has joined. */
    static ChildJvm node(String name, Path logDirectory, String endpoint, String pool, int slots, Path root) {
        ChildJvm child = start(name, logDirectory, "node", "--endpoint", endpoint, "--pool", pool,
                "--slots", Integer.toString(slots), "--root", root.toString());
        try {
            child.awaitOutput(JOINED, Duration.ofSeconds(60));
        } catch (RuntimeException | Error failed) {
            child.close();
            throw failed;
        }
        return child;
    }

    /** The service's endpoint, from its banner. */
    String endpoint() {
        Matcher banner = BANNER.matcher(read(out));
        if (!banner.find()) {
            throw new AssertionError(name + " printed no banner\n" + tail());
        }
        return "http://127.0.0.1:" + banner.group(1);
    }

    /** The node an agent joined as, from what it printed. */
    String nodeId() {
        Matcher joined = JOINED.matcher(read(out));
        if (!joined.find()) {
            throw new AssertionError(name + " has not joined\n" + tail());
        }
        return joined.group(1);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: {@link Process#destroyForcibly()} is SIGKILL on Linux. No shutdown hook runs, nothing is closed. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
        }
    }

    /** Waits until stdout matches, failing early (with the log) if the process ends. */
    void awaitOutput(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pattern.matcher(read(out)).find()) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before printing "
                        + pattern + "\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not print " + pattern + " within " + timeout + "\n" + tail());
            }
            sleep(50);
        }
    }

    /** The last lines of its stdout and stderr, for failure messages. */
    String tail() {
        return "--- " + name + " (pid " + process.pid() + (process.isAlive() ? ", alive" : ", ended") + ") stdout "
                + out + " ---\n" + lastLines(read(out), 15) + "--- " + name + " stderr " + err + " ---\n"
                + lastLines(read(err), 40);
    }

    /** Kills it (SIGKILL) with its task processes, if still running. */
    @Override
    public void close() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes every child, whatever happens to one. */
    static void closeAll(List<ChildJvm> children) {
        for (ChildJvm child : children) {
            try {
                child.close();
            } catch (RuntimeException e) {
                System.err.println("Could not stop " + child.name + ": " + e);
            }
        }
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().toList();
        StringBuilder tail = new StringBuilder();
        for (String line : lines.subList(Math.max(0, lines.size() - count), lines.size())) {
            tail.append(line).append('\n');
        }
        return tail.toString();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
