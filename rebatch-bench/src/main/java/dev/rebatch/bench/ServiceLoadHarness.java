package dev.rebatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.server.RebatchServer;
import dev.rebatch.server.auth.Account;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.auth.SharedKeySignature;
import dev.rebatch.server.auth.SignedRequest;
import dev.rebatch.server.auth.StringToSign;
import dev.rebatch.server.http.AccountThrottle;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.http.SharedKeyRequestAuthenticator;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * A load harness for the real service, started in-process on an ephemeral loopback port with one account:
 *
 * <ol>
 *   <li>adds N tasks (default 100,000) to one job through {@code POST /jobs/{id}/addtaskcollection} in chunks of
 *       100 from 4 concurrent callers, and checks that every result entry is {@code success};</li>
 *   <li>meanwhile a 5th thread measures {@code GET /jobs/{id}/tasks/{taskId}} latency of random added tasks, paced;</li>
 *   <li>then lists all tasks with {@code maxresults=1000}, following {@code odata.nextLink}, and checks the count
 *       and that no task appears twice or is missing.</li>
 * </ol>
 *
 * Every request is Shared Key signed with the service's own {@link StringToSign} and {@link SharedKeySignature},
 * over the JDK HttpClient (HTTP/1.1, keep-alive). Each phase has a time cap; the harness exits 0 when every
 * verification passed and 1 otherwise (missing the throughput goal is reported, not a failure). Run with
 * {@code --help} for the options; docs/benchmarks.md has the commands and results.
 */
public final class ServiceLoadHarness {

    static final String API_VERSION = "2024-07-01.20.0";
    static final String CONTENT_TYPE = "application/json; odata=minimalmetadata; charset=utf-8";
    static final String ACCOUNT = "benchaccount";
    static final String KEY = Base64.getEncoder().encodeToString("bench-account-key-0123456789abcdef".getBytes());
    static final double GOAL_TASKS_PER_SECOND = 20_000;
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The command line. */
    record Options(String storeUrl, int tasks, int chunk, int callers, int warmupTasks, int getIntervalMicros,
                   Duration phaseCap) {

        static Options parse(String[] args) {
            String store = null;
            int tasks = 100_000;
            int chunk = 100;
            int callers = 4;
            int warmup = 100_000;
            int getInterval = 5_000;
            Duration cap = Duration.ofSeconds(120);
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
                    case "--store" -> store = value;
                    case "--tasks" -> tasks = Integer.parseInt(value);
                    case "--chunk" -> chunk = Integer.parseInt(value);
                    case "--callers" -> callers = Integer.parseInt(value);
                    case "--warmup-tasks" -> warmup = Integer.parseInt(value);
                    case "--get-interval-us" -> getInterval = Integer.parseInt(value);
                    case "--phase-cap-seconds" -> cap = Duration.ofSeconds(Long.parseLong(value));
                    default -> usage("Unknown option " + flag + ".");
                }
            }
            if (store != null && !store.startsWith("jdbc:postgresql:")) {
                usage("--store takes a jdbc:postgresql: URL; leave it out for the embedded store.");
            }
            if (tasks < 1 || chunk < 1 || chunk > 100 || callers < 1 || warmup < 0 || getInterval < 1) {
                usage("--tasks, --callers, --get-interval-us must be positive, --chunk 1..100, --warmup-tasks >= 0.");
            }
            return new Options(store, tasks, chunk, callers, warmup, getInterval, cap);
        }

        private static void usage(String problem) {
            if (problem != null) {
                System.err.println(problem);
            }
            System.err.println("""
                    Usage: java -cp rebatch-bench/target/benchmarks.jar dev.rebatch.bench.ServiceLoadHarness
                      [--store jdbc:postgresql://127.0.0.1:5432/test?user=postgres]  (default: embedded store in a temp dir;
                                 for PostgreSQL a fresh schema is created, used through currentSchema, and dropped)
                      [--tasks 100000] [--chunk 100] [--callers 4] [--warmup-tasks 100000]
                      [--get-interval-us 5000] [--phase-cap-seconds 120]""");
            System.exit(problem == null ? 0 : 2);
        }
    }

    private final Options options;
    private final Account account = Account.fromBase64(ACCOUNT, KEY);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, String> results = new LinkedHashMap<>();
    private String endpoint;

    private ServiceLoadHarness(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        int status = new ServiceLoadHarness(options).run();
        System.exit(status);
    }

    private int run() throws Exception {
        // Generous limits: the per-account throttle and the in-flight cap must not be what is measured.
        ServiceLimits limits = new ServiceLimits(new AccountThrottle.Rate(1_000_000, 1_000_000),
                new AccountThrottle.Rate(1_000_000, 1_000_000), 100_000);
        Path dataDir = null;
        String schema = null;
        String storeUrl = null;
        if (options.storeUrl() == null) {
            dataDir = Files.createTempDirectory("rebatch-load-");
        } else {
            schema = "rebatch_load_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(options.storeUrl()); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            storeUrl = options.storeUrl() + (options.storeUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }
        String storeDescription = options.storeUrl() == null ? "embedded (SQLite) in " + dataDir
                : "PostgreSQL " + options.storeUrl().replaceAll("password=[^&]*", "password=***")
                        + " schema " + schema + " (created for this run, dropped at the end)";
        try {
            BatchStore store = BatchStores.open(storeUrl, dataDir);
            try {
                RebatchServer server = RebatchServer.start("127.0.0.1", 0, store,
                        new SharedKeyRequestAuthenticator(AccountRegistry.of(List.of(account)), Clock.systemUTC()),
                        Clock.systemUTC(), limits, () -> false);
                try {
                    endpoint = "http://127.0.0.1:" + server.port();
                    printHeader(storeDescription);
                    phases();
                } finally {
                    server.close();
                }
            } finally {
                store.close();
            }
        } finally {
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(options.storeUrl()); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                } catch (SQLException e) {
                    failures.add("could not drop schema " + schema + ": " + e.getMessage());
                }
            }
            if (dataDir != null) {
                deleteRecursively(dataDir);
            }
        }
        printSummary(storeDescription);
        return failures.isEmpty() ? 0 : 1;
    }

    private void printHeader(String storeDescription) {
        System.out.printf("Rebatch load harness: service at %s, store %s%n", endpoint, storeDescription);
        System.out.printf("  JVM %s, %d CPUs, load average %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf("  limits: throttle 1,000,000 requests/s (burst 1,000,000), 100,000 in flight"
                + " (generous, so the throttle does not cap the measurement)%n");
        System.out.printf("  tasks %,d in chunks of %d from %d callers; warm-up %,d tasks in another job;"
                + " phase cap %d s%n", options.tasks(), options.chunk(), options.callers(), options.warmupTasks(),
                options.phaseCap().toSeconds());
    }

    private void phases() throws Exception {
        createJob("warmup");
        if (options.warmupTasks() > 0) {
            System.out.println(java.time.Instant.now() + " Warm-up (not measured): adding " + options.warmupTasks() + " tasks to job warmup with gets alongside, then listing them...");
            AddOutcome warm = addTasks("warmup", options.warmupTasks(), true); // gets too, to warm that path
            if (!warm.problems.isEmpty()) {
                failures.add("warm-up: " + warm.problems.peek());
            }
            listTasks("warmup", options.warmupTasks(), false);
        }
        String jobId = "loadjob";
        createJob(jobId);
        System.out.println(java.time.Instant.now() + " Phase 1: adding " + options.tasks() + " tasks to job " + jobId
                + " (gets measured alongside)...");
        System.out.println("  load average before: " + loadAverage());
        long cpuBefore = processCpuNanos();
        AddOutcome add = addTasks(jobId, options.tasks(), true);
        long cpu = processCpuNanos() - cpuBefore;
        double tasksPerSecond = add.succeeded / (add.nanos / 1e9);
        results.put("add: tasks stored", String.format("%,d of %,d", add.succeeded, options.tasks()));
        results.put("add: time", String.format("%.2f s", add.nanos / 1e9));
        results.put("add: throughput", String.format("%,.0f tasks/s (%.0f requests/s)", tasksPerSecond,
                add.requests / (add.nanos / 1e9)));
        results.put("add: ratio to goal", String.format("%.2f of %,.0f tasks/s (%s)", tasksPerSecond / GOAL_TASKS_PER_SECOND,
                GOAL_TASKS_PER_SECOND, tasksPerSecond >= GOAL_TASKS_PER_SECOND ? "goal met" : "goal MISSED"));
        results.put("add: process CPU", String.format("%.1f s, %.0f us per task (service and harness together;"
                + " %.2f of %d CPUs)", cpu / 1e9, cpu / 1e3 / Math.max(1, add.succeeded), (double) cpu / add.nanos,
                Runtime.getRuntime().availableProcessors()));
        results.put("add: load average after", loadAverage());
        Histogram gets = add.getLatency;
        results.put("get during add: samples", String.format("%,d (one every %d us, single thread)",
                gets.getTotalCount(), options.getIntervalMicros()));
        if (gets.getTotalCount() > 0) {
            results.put("get during add: latency", String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                    gets.getValueAtPercentile(50) / 1e6, gets.getValueAtPercentile(90) / 1e6,
                    gets.getValueAtPercentile(99) / 1e6, gets.getMaxValue() / 1e6));
        } else {
            failures.add("no get-task samples were taken during the add phase");
        }
        add.problems.stream().limit(10).forEach(p -> failures.add("add: " + p));
        if (add.problems.size() > 10) {
            failures.add("add: ... and " + (add.problems.size() - 10) + " more problems");
        }
        if (add.succeeded != options.tasks()) {
            failures.add("add: " + add.succeeded + " tasks reported success, expected " + options.tasks());
        }

        System.out.println(java.time.Instant.now() + " Phase 2: listing the tasks of job " + jobId + " with maxresults=1000...");
        listTasks(jobId, options.tasks(), true);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Phase: add collections, with paced gets alongside.

    static final class AddOutcome {
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        final Histogram getLatency = new Histogram(Duration.ofSeconds(60).toNanos(), 3);
        long succeeded;
        long requests;
        long nanos;
    }

    private AddOutcome addTasks(String jobId, int taskCount, boolean measureGets) throws InterruptedException {
        AddOutcome outcome = new AddOutcome();
        int chunks = (taskCount + options.chunk() - 1) / options.chunk();
        AtomicInteger nextChunk = new AtomicInteger();
        AtomicLong succeeded = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        // Chunks that have been stored, for the get thread to pick tasks from: slot -> chunk + 1 (0 = not yet).
        AtomicIntegerArray doneChunks = new AtomicIntegerArray(chunks);
        AtomicInteger doneSlots = new AtomicInteger();
        AtomicBoolean adding = new AtomicBoolean(true);
        long deadline = System.nanoTime() + options.phaseCap().toNanos();

        Thread getter = null;
        if (measureGets) {
            getter = Thread.ofPlatform().name("harness-get").start(() -> measureGets(jobId, taskCount, doneChunks,
                    doneSlots, adding, outcome, deadline));
        }
        List<Thread> callers = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < options.callers(); c++) {
            callers.add(Thread.ofPlatform().name("harness-add-" + c).start(() -> {
                int chunk;
                while ((chunk = nextChunk.getAndIncrement()) < chunks) {
                    if (System.nanoTime() - deadline > 0) {
                        outcome.problems.add("phase cap of " + options.phaseCap().toSeconds() + " s reached");
                        return;
                    }
                    int first = chunk * options.chunk();
                    int last = Math.min(taskCount, first + options.chunk());
                    try {
                        long ok = addChunk(jobId, first, last, outcome.problems);
                        requests.incrementAndGet();
                        succeeded.addAndGet(ok);
                        doneChunks.set(doneSlots.getAndIncrement(), chunk + 1);
                    } catch (IOException | RuntimeException e) {
                        outcome.problems.add("chunk " + chunk + ": " + e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Thread caller : callers) {
            caller.join();
        }
        outcome.nanos = System.nanoTime() - start;
        adding.set(false);
        if (getter != null) {
            getter.join();
        }
        outcome.succeeded = succeeded.get();
        outcome.requests = requests.get();
        return outcome;
    }

    /** {@code task-0000042}: fixed width, so the list order (by id) is the add order. No String.format: it is slow. */
    static String taskId(int index) {
        String digits = Integer.toString(index);
        return "task-" + "0000000".substring(Math.min(7, digits.length())) + digits;
    }

    /** Adds tasks [first, last) in one request; returns how many came back as success, recording any other. */
    private long addChunk(String jobId, int first, int last, ConcurrentLinkedQueue<String> problems)
            throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder(64 * (last - first) + 16).append("{\"value\":[");
        for (int i = first; i < last; i++) {
            body.append(i == first ? "" : ",").append("{\"id\":\"").append(taskId(i))
                    .append("\",\"commandLine\":\"/bin/sh -c 'echo task ").append(i).append("'\"}");
        }
        body.append("]}");
        HttpResponse<byte[]> response = send("POST", URI.create(endpoint + "/jobs/" + jobId
                + "/addtaskcollection?api-version=" + API_VERSION), body.toString().getBytes(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            problems.add("addtaskcollection answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
            return 0;
        }
        JsonNode value = JSON.readTree(response.body()).path("value");
        Set<String> expected = new HashSet<>();
        for (int i = first; i < last; i++) {
            expected.add(taskId(i));
        }
        long ok = 0;
        for (JsonNode result : value) {
            String id = result.path("taskId").asText();
            if (!"success".equals(result.path("status").asText())) {
                problems.add("task " + id + ": status " + result.path("status").asText() + " " + result.path("error"));
            } else if (!expected.remove(id)) {
                problems.add("task " + id + ": unexpected or repeated success entry");
            } else {
                ok++;
            }
        }
        if (!expected.isEmpty()) {
            problems.add("chunk of " + taskId(first) + ": no result for " + expected.size() + " tasks");
        }
        return ok;
    }

    private void measureGets(String jobId, int taskCount, AtomicIntegerArray doneChunks, AtomicInteger doneSlots,
            AtomicBoolean adding, AddOutcome outcome, long deadline) {
        long interval = options.getIntervalMicros() * 1_000L;
        long next = System.nanoTime();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (adding.get() && System.nanoTime() - deadline < 0) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                continue;
            }
            next += interval;
            if (next < System.nanoTime()) {
                next = System.nanoTime(); // fallen behind: do not burst to catch up
            }
            int slots = doneSlots.get();
            if (slots == 0) {
                continue;
            }
            int chunk = doneChunks.get(random.nextInt(slots)) - 1;
            if (chunk < 0) {
                continue; // slot reserved, chunk not yet recorded
            }
            int first = chunk * options.chunk();
            int index = first + random.nextInt(Math.min(options.chunk(), taskCount - first));
            String id = taskId(index);
            try {
                long start = System.nanoTime();
                HttpResponse<byte[]> response = send("GET",
                        URI.create(endpoint + "/jobs/" + jobId + "/tasks/" + id + "?api-version=" + API_VERSION), null);
                long latency = System.nanoTime() - start;
                if (response.statusCode() != 200) {
                    outcome.problems.add("get " + id + " answered " + response.statusCode());
                    continue;
                }
                if (!id.equals(JSON.readTree(response.body()).path("id").asText())) {
                    outcome.problems.add("get " + id + " returned another task");
                    continue;
                }
                outcome.getLatency.recordValue(Math.min(latency, outcome.getLatency.getHighestTrackableValue()));
            } catch (IOException | RuntimeException e) {
                outcome.problems.add("get " + id + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Phase: list with paging.

    private void listTasks(String jobId, int expectedCount, boolean report) throws IOException, InterruptedException {
        Set<String> seen = new HashSet<>(expectedCount * 2);
        long duplicates = 0;
        int pages = 0;
        long items = 0;
        long deadline = System.nanoTime() + options.phaseCap().toNanos();
        URI next = URI.create(endpoint + "/jobs/" + jobId + "/tasks?api-version=" + API_VERSION + "&maxresults=1000");
        String problem = null;
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        while (next != null) {
            if (System.nanoTime() - deadline > 0) {
                problem = "phase cap of " + options.phaseCap().toSeconds() + " s reached after " + pages + " pages";
                break;
            }
            HttpResponse<byte[]> response = send("GET", next, null);
            if (response.statusCode() != 200) {
                problem = "list page " + pages + " answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8);
                break;
            }
            JsonNode page = JSON.readTree(response.body());
            pages++;
            for (JsonNode task : page.path("value")) {
                items++;
                if (!seen.add(task.path("id").asText())) {
                    duplicates++;
                }
            }
            JsonNode link = page.get("odata.nextLink");
            next = link == null || link.isNull() ? null : URI.create(link.asText());
            if (!report && items >= expectedCount) {
                break; // warm-up: enough pages listed
            }
        }
        long nanos = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuBefore;
        if (!report) {
            if (problem != null) {
                failures.add("warm-up list: " + problem);
            }
            return;
        }
        long missing = 0;
        for (int i = 0; i < expectedCount; i++) {
            if (!seen.contains(taskId(i))) {
                missing++;
            }
        }
        results.put("list: items", String.format("%,d in %d pages, %,d distinct, %d duplicates, %d missing",
                items, pages, seen.size(), duplicates, missing));
        results.put("list: time", String.format("%.2f s (%,.0f items/s, %.1f ms per page of 1000)", nanos / 1e9,
                items / (nanos / 1e9), nanos / 1e6 / Math.max(1, pages)));
        results.put("list: process CPU", String.format("%.2f s, %.1f us per item", cpu / 1e9, cpu / 1e3 / Math.max(1, items)));
        if (problem != null) {
            failures.add("list: " + problem);
        }
        if (items != expectedCount || seen.size() != expectedCount) {
            failures.add("list: " + items + " items (" + seen.size() + " distinct), expected " + expectedCount);
        }
        if (duplicates > 0) {
            failures.add("list: " + duplicates + " duplicate tasks");
        }
        if (missing > 0) {
            failures.add("list: " + missing + " added tasks missing");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Signed requests.

    private void createJob(String jobId) throws IOException, InterruptedException {
        byte[] body = ("{\"id\":\"" + jobId + "\",\"poolInfo\":{\"poolId\":\"benchpool\"}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = send("POST", URI.create(endpoint + "/jobs?api-version=" + API_VERSION), body);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating job " + jobId + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Sends a Shared Key signed request. The signature covers exactly the headers sent here (the JDK client adds
     * Content-Length from the body, which the service signs from the bytes received, and Host/User-Agent/Connection,
     * which are not signed).
     */
    private HttpResponse<byte[]> send(String method, URI uri, byte[] body) throws IOException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ocp-date", RFC_1123.format(ZonedDateTime.now(ZoneOffset.UTC)));
        headers.put("client-request-id", UUID.randomUUID().toString());
        if (body != null) {
            headers.put("Content-Type", CONTENT_TYPE);
        }
        SignedRequest signed = new SignedRequest(method, uri.getRawPath(), uri.getRawQuery(), headers,
                body == null ? 0 : body.length);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .header("Authorization", SharedKeySignature.authorizationHeader(account, StringToSign.of(signed, ACCOUNT)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    // ---------------------------------------------------------------------------------------------------------

    private void printSummary(String storeDescription) {
        System.out.println();
        System.out.println("=== Summary: " + storeDescription + " ===");
        results.forEach((name, value) -> System.out.printf("  %-26s %s%n", name, value));
        System.out.println("  load average at end:       " + loadAverage());
        if (failures.isEmpty()) {
            System.out.println("VERIFICATION PASSED");
        } else {
            System.out.println("VERIFICATION FAILED:");
            failures.forEach(f -> System.out.println("  - " + f));
        }
    }

    /** CPU time of this whole process (service, harness and JVM threads). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
