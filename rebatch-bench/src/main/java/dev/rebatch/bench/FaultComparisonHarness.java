package dev.rebatch.bench;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.soak.FaultSchedule;
import dev.rebatch.client.soak.RebatchSoakClient;
import dev.rebatch.client.soak.SoakClient;
import dev.rebatch.client.soak.SoakReport;
import dev.rebatch.client.soak.SoakWorkload;
import dev.rebatch.retry.RetryHandler;
import dev.rebatch.server.RebatchServer;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.metrics.ServiceMetrics;
import dev.rebatch.server.auth.Account;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.http.AccountThrottle;
import dev.rebatch.server.http.LoadShedder;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.http.SharedKeyRequestAuthenticator;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fault soak of rebatch-client ({@link SoakWorkload}: 10,000 job creates, job actions, single task creates and
 * bulk task adds from 16 threads) run twice through the same seeded schedule of every fault kind the service can
 * inject (20% of requests by default), each time on a fresh in-process service: first through the Rebatch SDK, then
 * through the official Java SDK 11.2.0 ({@link OfficialSoakClient}). Unlike FaultSoakTest the Rebatch SDK waits in
 * real time (its default time source). Prints each run's report and a side-by-side table; docs/benchmarks.md has
 * the command and a result. Exits 0 when both runs finished, 1 when one hit its time cap, 2 on a bad command line.
 *
 * <p>The service's account throttle is raised out of the way (100,000 requests/s), as in FaultSoakTest, so the only
 * 429s are the scheduled ones: the official SDK does not wait for Retry-After, and the default throttle would
 * otherwise answer it with 429s the Rebatch SDK never meets.
 */
public final class FaultComparisonHarness {

    private static final Pattern RESPONSES = Pattern.compile(
            "(?m)^rebatch_responses_total\\{[^}]*status=\"(\\d+)\"[^}]*} ([0-9.eE+]+)$");
    /** How long one official createTasks call of 100 tasks may run before it is taken to have hung. */
    static final Duration CREATE_TASKS_CAP = Duration.ofSeconds(30);
    static final String ACCOUNT = "soakaccount";
    static final String KEY = java.util.Base64.getEncoder()
            .encodeToString("soak-account-key-0123456789abcdef".getBytes());

    record Options(long seed, double rate, int jobs, int actedJobs, int singleTasks, int bulkTasks, int threads,
                   Duration rebatchAttemptTimeout, Duration officialReadTimeout, String only, Duration cap) {

        static Options parse(String[] args) {
            long seed = 20261125;
            double rate = 0.20;
            int jobs = 3000;
            int acted = 1000;
            int single = 2000;
            int bulk = 2000;
            int threads = 16;
            long attemptMs = 1000;
            long readMs = 1000;
            String only = "both";
            long capMinutes = 12;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    usage(null);
                }
                if (i + 1 >= args.length) {
                    usage(flag + " needs a value.");
                }
                String value = args[++i];
                switch (flag) {
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--rate" -> rate = Double.parseDouble(value);
                    case "--jobs" -> jobs = Integer.parseInt(value);
                    case "--acted-jobs" -> acted = Integer.parseInt(value);
                    case "--single-tasks" -> single = Integer.parseInt(value);
                    case "--bulk-tasks" -> bulk = Integer.parseInt(value);
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--rebatch-attempt-timeout-ms" -> attemptMs = Long.parseLong(value);
                    case "--official-read-timeout-ms" -> readMs = Long.parseLong(value);
                    case "--only" -> only = value;
                    case "--cap-minutes" -> capMinutes = Long.parseLong(value);
                    default -> usage("Unknown option " + flag + ".");
                }
            }
            if (rate < 0 || rate >= 1 || jobs < 0 || acted < 0 || acted > jobs || single < 0 || bulk < 0
                    || threads < 1 || attemptMs < 1 || readMs < 1 || capMinutes < 1
                    || !List.of("both", "rebatch", "official").contains(only)) {
                usage("Bad value: see the ranges above.");
            }
            return new Options(seed, rate, jobs, acted, single, bulk, threads, Duration.ofMillis(attemptMs),
                    Duration.ofMillis(readMs), only, Duration.ofMinutes(capMinutes));
        }

        private static void usage(String problem) {
            if (problem != null) {
                System.err.println(problem);
            }
            System.err.println("""
                    Usage: java --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \\
                                --add-opens java.base/java.net=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \\
                                -cp rebatch-bench/target/benchmarks.jar dev.rebatch.bench.FaultComparisonHarness
                      [--seed 20261125] [--rate 0.20 (0..1)] [--jobs 3000] [--acted-jobs 1000 (<= jobs)]
                      [--single-tasks 2000] [--bulk-tasks 2000] [--threads 16]
                      [--rebatch-attempt-timeout-ms 1000] [--official-read-timeout-ms 1000]
                      [--only both|rebatch|official] [--cap-minutes 12 (per run)]""");
            System.exit(problem == null ? 0 : 2);
        }
    }

    /**
     * One client's run: its report, the faults the service injected into it, and the Batch API requests the service
     * counted by status while the workload ran (its own {@code rebatch_responses_total}, read before the checker's
     * requests). That count includes the requests a {@code reset-before} fault closed without an answer: the
     * service's after-handler still runs for them and records them as 200.
     */
    record Run(String client, SoakReport report, long faultsInjected, Map<String, Long> faultsByType,
               Map<String, Long> serviceCounted) {

        long serviceTotal() {
            return serviceCounted.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Options options;

    private FaultComparisonHarness(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        new FaultComparisonHarness(Options.parse(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        printHeader();
        List<Run> runs = new ArrayList<>();
        if (!options.only().equals("official")) {
            runs.add(runOnFreshService("Rebatch SDK", endpoint -> new RebatchSoakClient(endpoint, ACCOUNT, KEY,
                    RetryHandler.builder().attemptTimeout(options.rebatchAttemptTimeout()))));
        }
        if (!options.only().equals("rebatch")) {
            runs.add(runOnFreshService("official Java SDK 11.2.0", endpoint -> new OfficialSoakClient(endpoint,
                    ACCOUNT, KEY, options.officialReadTimeout(), CREATE_TASKS_CAP)));
        }
        printTable(runs);
    }

    private Run runOnFreshService(String name, Function<String, SoakClient> clientFor) throws Exception {
        Path dataDir = Files.createTempDirectory("rebatch-fault-compare-");
        ServiceLimits limits = new ServiceLimits(new AccountThrottle.Rate(100_000, 100_000),
                AccountThrottle.DEFAULT_NODE_AGENT_RATE, LoadShedder.DEFAULT_MAX_IN_FLIGHT);
        FaultInjector faults = new FaultInjector(FaultSchedule.everyKind(options.rate(), options.seed()),
                Clock.systemUTC());
        BatchStore store = BatchStores.open(null, dataDir);
        Thread watchdog = watchdog(name);
        try {
            RebatchServer server = RebatchServer.start("127.0.0.1", 0, store,
                    new SharedKeyRequestAuthenticator(AccountRegistry.of(List.of(Account.fromBase64(ACCOUNT, KEY))),
                            Clock.systemUTC()), Clock.systemUTC(), limits, store::isSaturated, faults);
            try {
                String endpoint = "http://127.0.0.1:" + server.port();
                System.out.printf("%s %s: service at %s, store in %s%n", Instant.now(), name, endpoint, dataDir);
                BatchClient checker = BatchClient.builder().endpoint(endpoint).sharedKey(ACCOUNT, KEY).build();
                SoakWorkload workload = new SoakWorkload(options.jobs(), options.actedJobs(), options.singleTasks(),
                        options.bulkTasks(), options.threads(), "soak");
                Map<String, Long> counted = new TreeMap<>();
                SoakClient client = clientFor.apply(endpoint);
                // The service's count is read when the workload ends, before the checker's requests add to it.
                SoakReport report = workload.run(client, () -> {
                    faults.clear();
                    counted.putAll(countedByStatus(new SignedHttp(endpoint, ACCOUNT, KEY)));
                }, checker);
                Run run = new Run(name, report, faults.counter().total(), faults.counter().byTypeName(), counted);
                System.out.printf("%s %s: %s%n", Instant.now(), name, report.describe());
                System.out.printf("  faults injected: %,d %s%n", run.faultsInjected(), run.faultsByType());
                if (client instanceof OfficialSoakClient official) {
                    System.out.printf("  createTasks calls that hung (interrupted after %d s): %d%n",
                            CREATE_TASKS_CAP.toSeconds(), official.createTasksHangs());
                }
                System.out.printf("  the service counted %,d requests, by status %s (reset-before ones as 200)%n",
                        run.serviceTotal(), run.serviceCounted());
                System.out.println("  first failure of each kind:");
                report.failureSamples().stream().sorted()
                        .forEach(sample -> System.out.println("    " + abbreviate(sample, 400)));
                return run;
            } finally {
                server.close();
            }
        } finally {
            watchdog.interrupt();
            store.close();
            deleteRecursively(dataDir);
        }
    }

    /** The service's {@code rebatch_responses_total} counters, by status. */
    private static Map<String, Long> countedByStatus(SignedHttp http) {
        HttpResponse<String> metrics = http.send("GET", ServiceMetrics.PATH, null);
        if (metrics.statusCode() != 200) {
            throw new IllegalStateException("GET " + ServiceMetrics.PATH + ": " + metrics.statusCode());
        }
        Map<String, Long> byStatus = new TreeMap<>();
        Matcher line = RESPONSES.matcher(metrics.body());
        while (line.find()) {
            byStatus.merge(line.group(1), (long) Double.parseDouble(line.group(2)), Long::sum);
        }
        return byStatus;
    }

    /** Ends the process if a run outlasts its cap: the workload itself has no time limit. */
    private Thread watchdog(String name) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(options.cap().toMillis());
            } catch (InterruptedException finished) {
                return;
            }
            System.err.printf("%s %s: not finished after %s; stacks of the threads in Rebatch or SDK code follow.%n",
                    Instant.now(), name, options.cap());
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                boolean workload = Stream.of(stack).anyMatch(frame -> frame.getClassName().startsWith("dev.rebatch.")
                        || frame.getClassName().startsWith("com.microsoft."));
                if (workload) {
                    System.err.println(thread.getName() + " " + thread.getState());
                    for (int i = 0; i < Math.min(stack.length, 40); i++) {
                        System.err.println("    at " + stack[i]);
                    }
                }
            });
            System.exit(1);
        }, "fault-comparison-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return watchdog;
    }

    private void printHeader() {
        System.out.printf("Fault comparison: Rebatch SDK vs official Java SDK 11.2.0, %s%n", Instant.now());
        System.out.printf("  JVM %s, %d CPUs, load average %.2f%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "  schedule: FaultSchedule.everyKind(%.2f, %d), a fresh service per client; "
                        + "account throttle 100,000/s%n", options.rate(), options.seed());
        System.out.printf("  workload: %,d jobs (%,d disabled, enabled, terminated), %,d single task creates, "
                        + "%,d bulk-added tasks (calls of 500), %d threads%n", options.jobs(), options.actedJobs(),
                options.singleTasks(), options.bulkTasks(), options.threads());
        System.out.printf("  Rebatch SDK: default policy and budget, real time, attempt timeout %d ms; "
                        + "official SDK: its defaults, OkHttp read timeout %d ms, createTasks in chunks of %d "
                        + "(interrupted as hung after %d s)%n",
                options.rebatchAttemptTimeout().toMillis(), options.officialReadTimeout().toMillis(),
                OfficialSoakClient.CREATE_TASKS_CHUNK, CREATE_TASKS_CAP.toSeconds());
    }

    private static void printTable(List<Run> runs) {
        Map<String, Function<Run, String>> rows = new LinkedHashMap<>();
        rows.put("Operations", run -> String.format("%,d", run.report().operations()));
        rows.put("Completed (succeeded)", run -> String.format("%,d", run.report().succeeded()));
        rows.put("Failed", run -> String.format("%,d", run.report().failed()));
        rows.put("Unexplained failures", run -> String.format("%,d", run.report().unexplained()));
        rows.put("Lost", run -> String.format("%,d", run.report().lost()));
        rows.put("Duplicates", run -> String.format("%,d", run.report().duplicates()));
        rows.put("Requests sent", run -> String.format("%,d", run.report().requests()));
        rows.put("Requests the service counted", run -> String.format("%,d", run.serviceTotal()));
        rows.put("Faults injected", run -> String.format("%,d", run.faultsInjected()));
        rows.put("Elapsed", run -> String.format(Locale.ROOT, "%.1f s", run.report().elapsed().toMillis() / 1000.0));
        StringBuilder table = new StringBuilder("\n| |");
        runs.forEach(run -> table.append(' ').append(run.client()).append(" |"));
        table.append("\n|---|");
        runs.forEach(run -> table.append("---:|"));
        rows.forEach((label, value) -> {
            table.append("\n| ").append(label).append(" |");
            runs.forEach(run -> table.append(' ').append(value.apply(run)).append(" |"));
        });
        System.out.println(table);
        for (Run run : runs) {
            System.out.printf("%nFailures by kind, %s:%s%n", run.client(),
                    run.report().failureKinds().isEmpty() ? " none" : "");
            run.report().failureKinds().entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(kind -> System.out.printf("  %,7d  %s%n", kind.getValue(), kind.getKey()));
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
