package dev.rebatch.bench;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.BulkAddResult;
import dev.rebatch.client.TaskCountsSnapshot;
import dev.rebatch.client.WaitOptions;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.node.NodeContext;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.agent.NodeAgent;
import dev.rebatch.node.exec.ProcessSpawner;
import dev.rebatch.node.exec.SpawnRequest;
import dev.rebatch.node.exec.TaskLauncher;
import dev.rebatch.server.RebatchServer;
import dev.rebatch.server.auth.Account;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.dispatch.ExecutionSettings;
import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.http.AccountThrottle;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.http.SharedKeyRequestAuthenticator;
import dev.rebatch.server.nodes.NodeProvisioner;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Execution end to end: the real service on an ephemeral loopback port (embedded store in a temp dir, or a fresh
 * PostgreSQL schema with {@code --store}) and {@link NodeAgent}s in the same JVM, which talk to it over loopback HTTP
 * through the SDK. In one run it measures:
 *
 * <ol>
 *   <li><b>the spawn limit</b>: {@code /bin/true} processes per second this JVM can start and wait for, from 1, 4,
 *       16 and as many threads as the agents' total slots, in two ways: the JDK's {@link ProcessBuilder}, and the
 *       agent's own way ({@link ProcessSpawner#forThisMachine()}, posix_spawn here) alone, without anything of
 *       Rebatch around it. The limit is the best rate of either at any count;</li>
 *   <li><b>throughput</b>, for each nodes × slots setting: N {@code /bin/true} tasks added with {@code addTasks} to a
 *       job on a pool with those agents, from the first add to the last completion seen by {@code waitForTasks};
 *       with {@code --rounds 2}, each setting twice (up the list, then down it) and the better rate kept, as the
 *       limit keeps the better of its two measures at each thread count. Each job's rate is also compared with the
 *       limit measured <b>beside it</b>: posix_spawn alone at the thread count where it did best, for the same time
 *       as each limit measure, right before the job and right after it (the better of the two kept), since this
 *       VM's speed drifts within a run by more than the goal's margin;</li>
 *   <li><b>dispatch latency</b> on an idle pool: one task at a time, from the wall clock read right before the add
 *       call to the wall-clock timestamp the task's process writes ({@code date +%s%N}), as p50/p99.</li>
 * </ol>
 *
 * A main class run by hand (never in the test run); docs/benchmarks.md has the commands and results. Exits 0 when
 * every task ran and succeeded, 1 otherwise (missing a goal is reported, not a failure).
 */
public final class ExecutionHarness {

    static final double GOAL_SPAWN_RATIO = 0.60;
    static final double GOAL_P50_MS = 50;
    static final double GOAL_P99_MS = 200;

    record Setting(int nodes, int slots) {
        static Setting parse(String text) {
            String[] parts = text.toLowerCase().split("x");
            if (parts.length != 2) {
                throw new IllegalArgumentException("A setting is NODESxSLOTS, e.g. 2x4: " + text);
            }
            return new Setting(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        }

        int totalSlots() {
            return nodes * slots;
        }

        String id() {
            return nodes + "x" + slots;
        }
    }

    record Options(String storeUrl, int tasks, int warmupTasks, List<Setting> settings, int rounds,
                   Setting latencySetting, int latencySamples, int latencyWarmup, double spawnSeconds,
                   boolean keepFiles) {

        static Options parse(String[] args) {
            String store = null;
            int tasks = 20_000;
            int warmup = 1_000;
            List<Setting> settings = List.of(new Setting(2, 4), new Setting(2, 2), new Setting(1, 8));
            Setting latency = new Setting(2, 4);
            int samples = 200;
            int latencyWarmup = 30;
            double spawnSeconds = 5;
            int rounds = 1;
            boolean keepFiles = false;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    usage(null);
                }
                if (flag.equals("--keep-files")) {
                    keepFiles = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    usage(flag + " needs a value.");
                }
                String value = args[++i];
                switch (flag) {
                    case "--store" -> store = value;
                    case "--tasks" -> tasks = Integer.parseInt(value);
                    case "--warmup-tasks" -> warmup = Integer.parseInt(value);
                    case "--settings" -> settings = Stream.of(value.split(",")).map(Setting::parse).toList();
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--latency-setting" -> latency = Setting.parse(value);
                    case "--latency-samples" -> samples = Integer.parseInt(value);
                    case "--latency-warmup" -> latencyWarmup = Integer.parseInt(value);
                    case "--spawn-seconds" -> spawnSeconds = Double.parseDouble(value);
                    default -> usage("Unknown option " + flag + ".");
                }
            }
            if (store != null && !store.startsWith("jdbc:postgresql:")) {
                usage("--store takes a jdbc:postgresql: URL; leave it out for the embedded store.");
            }
            if (tasks < 1 || warmup < 0 || samples < 1 || latencyWarmup < 0 || spawnSeconds <= 0 || settings.isEmpty()
                    || rounds < 1) {
                usage("--tasks, --rounds, --latency-samples, --spawn-seconds must be positive, the warm-ups >= 0.");
            }
            if (settings.size() != Set.copyOf(settings).size()) {
                usage("--settings names a setting twice; use --rounds to run each setting more than once.");
            }
            return new Options(store, tasks, warmup, settings, rounds, latency, samples, latencyWarmup, spawnSeconds,
                    keepFiles);
        }

        private static void usage(String problem) {
            if (problem != null) {
                System.err.println(problem);
            }
            System.err.println("""
                    Usage: java -cp rebatch-bench/target/benchmarks.jar dev.rebatch.bench.ExecutionHarness
                      [--store jdbc:postgresql://127.0.0.1:5432/test?user=postgres]  (default: embedded store in a temp dir;
                                 for PostgreSQL a fresh schema is created, used through currentSchema, and dropped)
                      [--tasks 20000] [--warmup-tasks 1000] [--settings 2x4,2x2,1x8]  (nodes x slots per node)
                      [--rounds 1]  (how many times each setting runs: rounds go up the list, then down it, and
                                 so on; the better rate is kept, as the limit keeps its better measure per count)
                      [--latency-setting 2x4] [--latency-samples 200] [--latency-warmup 30] [--spawn-seconds 5]
                      [--keep-files]  (leave the temp dir, the tasks' files and the store, instead of deleting them:
                                 on ext4 without a journal, files created in the minutes after many were deleted
                                 cost several times more, which slows the next run; see docs/benchmarks.md)""");
            System.exit(problem == null ? 0 : 2);
        }
    }

    private final Options options;
    private final Account account = Account.fromBase64(ServiceLoadHarness.ACCOUNT, ServiceLoadHarness.KEY);
    private final List<String> failures = new ArrayList<>();
    /** Per way of spawning, the best rate at each thread count. */
    private final Map<String, Map<Integer, Double>> spawnPerSecond = new LinkedHashMap<>();
    /** Tasks per second a node's launcher alone starts and sees end, by thread count: not a limit, a floor's measure. */
    private final Map<Integer, Double> launcherPerSecond = new TreeMap<>();
    /** Per setting, the rate of each of its rounds, in the order they ran. */
    private final Map<Setting, List<Double>> throughput = new LinkedHashMap<>();
    /** Per setting, for each of its rounds, the place of its job among all throughput jobs (0, 1, ...). */
    private final Map<Setting, List<Integer>> jobOrder = new LinkedHashMap<>();
    /**
     * The spawn limit measured beside the throughput jobs: before the first job, between each two, after the last
     * ({@link #besideLimit}). Job {@code j} ran between measures {@code j} and {@code j + 1}.
     */
    private final List<Double> besideMeasures = new ArrayList<>();
    /** posix_spawn alone, as the limit measures it, and the thread count of its best rate there. */
    private SpawnOnce agentWay;
    private int agentWayBestThreads;
    private Histogram latency;
    private Histogram localLatency;
    private String endpoint;
    private Path work;

    private ExecutionHarness(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        int status = new ExecutionHarness(Options.parse(args)).run();
        System.exit(status);
    }

    private int run() throws Exception {
        ServiceLimits limits = new ServiceLimits(new AccountThrottle.Rate(1_000_000, 1_000_000),
                new AccountThrottle.Rate(1_000_000, 1_000_000), 100_000);
        work = Files.createTempDirectory("rebatch-exec-");
        Path dataDir = null;
        String schema = null;
        String storeUrl = null;
        if (options.storeUrl() == null) {
            dataDir = Files.createDirectories(work.resolve("store"));
        } else {
            schema = "rebatch_exec_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(options.storeUrl()); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            storeUrl = options.storeUrl() + (options.storeUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }
        String storeDescription = options.storeUrl() == null ? "embedded (SQLite) in " + dataDir
                : "PostgreSQL " + options.storeUrl().replaceAll("password=[^&]*", "password=***")
                        + " schema " + schema + " (created for this run, dropped at the end)";
        System.out.printf("ExecutionHarness: %s, %d CPUs, %s %s, uptime: %s%n", storeDescription,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                Runtime.version(), uptime());
        try {
            spawnLimits();
            BatchStore store = BatchStores.open(storeUrl, dataDir);
            try {
                RebatchServer server = RebatchServer.start("127.0.0.1", 0, store,
                        new SharedKeyRequestAuthenticator(AccountRegistry.of(List.of(account)), Clock.systemUTC()),
                        Clock.systemUTC(), limits, () -> false, FaultInjector.off(), ExecutionSettings.DEFAULTS,
                        NodeProvisioner.NONE);
                try {
                    endpoint = "http://127.0.0.1:" + server.port();
                    for (int round = 1; round <= options.rounds(); round++) {
                        List<Setting> order = new ArrayList<>(options.settings());
                        if (round % 2 == 0) {
                            Collections.reverse(order); // down the list, as the limit's second pass over its counts
                        }
                        for (Setting setting : order) {
                            measureLimitBeside();
                            throughput(setting, round);
                        }
                    }
                    measureLimitBeside();
                    latency(options.latencySetting());
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
            if (options.keepFiles()) {
                System.out.println("kept " + work + " (--keep-files): delete it yourself");
            } else {
                deleteRecursively(work);
            }
        }
        summary();
        return failures.isEmpty() ? 0 : 1;
    }

    // ---- 1. spawn limit ------------------------------------------------------------------------------------------

    private void spawnLimits() throws Exception {
        // The limit is the best rate at any of these thread counts (the same count as a setting's slots among them)
        // in either way: the JVM alone, spawning as fast as it can. Process start varies a lot from second to second
        // on this VM, so every count is measured twice, once on the way up and once on the way down, and the better
        // one kept; the two ways take turns.
        Set<Integer> threadCounts = new TreeSet<>(List.of(1, 4, 16));
        options.settings().forEach(s -> threadCounts.add(s.totalSlots()));
        Path spawnDir = Files.createDirectories(work.resolve("spawn"));
        ProcessSpawner agentSpawner = ProcessSpawner.forThisMachine();
        SpawnRequest trueRequest = new SpawnRequest(List.of("/bin/true"), spawnDir, Map.of(),
                spawnDir.resolve("stdout.txt"), spawnDir.resolve("stderr.txt"));
        Map<String, SpawnOnce> ways = new LinkedHashMap<>();
        ways.put("ProcessBuilder", () -> new ProcessBuilder("/bin/true").start().waitFor());
        agentWay = () -> agentSpawner.spawn(trueRequest).exitCode().get();
        ways.put(agentSpawner.name(), agentWay);
        for (SpawnOnce way : ways.values()) {
            spawnRate(2, Duration.ofSeconds(1), way); // warm-up
        }
        List<Integer> rounds = new ArrayList<>(threadCounts);
        List<Integer> down = new ArrayList<>(threadCounts);
        Collections.reverse(down);
        rounds.addAll(down);
        for (int threads : rounds) {
            for (Map.Entry<String, SpawnOnce> way : ways.entrySet()) {
                Measure measure = spawnRate(threads, Duration.ofMillis((long) (options.spawnSeconds() * 1000)),
                        way.getValue());
                spawnPerSecond.computeIfAbsent(way.getKey(), k -> new TreeMap<>()).merge(threads,
                        measure.perSecond(), Math::max);
                System.out.printf("spawn /bin/true, %-14s %3d thread(s): %8.1f processes/s (%s)%n", way.getKey(),
                        threads, measure.perSecond(), measure.cpu());
            }
        }
        agentWayBestThreads = spawnPerSecond.get(agentSpawner.name()).entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        launcherAlone(rounds);
        // The floor of the latency measurement: the same command, spawned here directly.
        localLatency = newHistogram();
        Path dir = Files.createDirectories(work.resolve("local"));
        for (int i = 0; i < 60; i++) {
            Path file = dir.resolve("t" + i);
            long sent = wallNanos();
            Process p = new ProcessBuilder("/bin/sh", "-c", "date +%s%N > " + file).start();
            p.waitFor();
            if (i >= 10) {
                localLatency.recordValue(Math.max(0, (readNanos(file, Duration.ofSeconds(5)) - sent) / 1_000));
            }
        }
    }

    /**
     * What a node's own launching costs, with no service and no HTTP: the agent's {@link TaskLauncher} running
     * /bin/true tasks as the agent runs them (a task's directory and working directory, stdout.txt and stderr.txt, its
     * AZ_BATCH_* environment, its process collected by the reaper), each thread launching a task and waiting for its
     * outcome, then the next. Not part of the limit (Rebatch does this work, the JVM alone does not): it shows how much
     * of the limit a node keeping Batch's task layout can reach at all.
     */
    private void launcherAlone(List<Integer> rounds) throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            TaskLauncher launcher = TaskLauncher.builder(new NodeContext("bench", "http://127.0.0.1", "launcher-pool",
                    "launcher-node", work.resolve("launcher"), true), scheduler).build();
            AtomicLong ids = new AtomicLong();
            SpawnOnce launch = () -> launcher.launch(dev.rebatch.node.exec.TaskSpec.of(
                    new TaskKey("job", "t" + ids.incrementAndGet()), "/bin/true")).outcome().get();
            spawnRate(2, Duration.ofSeconds(1), launch); // warm-up
            for (int threads : rounds) {
                Measure measure = spawnRate(threads, Duration.ofMillis((long) (options.spawnSeconds() * 1000)),
                        launch);
                launcherPerSecond.merge(threads, measure.perSecond(), Math::max);
                System.out.printf("launch /bin/true tasks, TaskLauncher alone %3d thread(s): %8.1f tasks/s (%s)%n",
                        threads, measure.perSecond(), measure.cpu());
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** One more measure of the limit, between two throughput jobs (their agents idle), as {@link #besideLimit} uses. */
    private void measureLimitBeside() throws InterruptedException {
        Measure measure = spawnRate(agentWayBestThreads,
                Duration.ofMillis((long) (options.spawnSeconds() * 1000)), agentWay);
        besideMeasures.add(measure.perSecond());
        System.out.printf("spawn /bin/true beside the throughput jobs, posix_spawn %3d thread(s): %8.1f processes/s "
                + "(%s)%n", agentWayBestThreads, measure.perSecond(), measure.cpu());
    }

    /** The limit beside throughput job {@code job}: the better of the measures right before and right after it. */
    private double besideLimit(int job) {
        return Math.max(besideMeasures.get(job), besideMeasures.get(job + 1));
    }

    /** Starts /bin/true and waits for it to exit. */
    @FunctionalInterface
    private interface SpawnOnce {
        void run() throws Exception;
    }

    /** A spawn rate and what the processes cost: the JVM's CPU and its reaped children's, per process. */
    private record Measure(double perSecond, String cpu) {}

    private static Measure spawnRate(int threads, Duration duration, SpawnOnce spawn) throws InterruptedException {
        AtomicLong spawned = new AtomicLong();
        ProcessCpu cpuBefore = ProcessCpu.now();
        MachineCpu machineBefore = MachineCpu.now();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    try {
                        spawn.run();
                        spawned.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double perSecond = spawned.get() / ((System.nanoTime() - start) / 1e9);
        ProcessCpu cpuAfter = ProcessCpu.now();
        MachineCpu machineAfter = MachineCpu.now();
        if (cpuBefore == null || spawned.get() == 0) {
            return new Measure(perSecond, "CPU n/a");
        }
        ProcessCpu used = cpuAfter.minus(cpuBefore);
        int count = (int) spawned.get();
        return new Measure(perSecond, used.perTask(count) + (machineBefore == null ? ""
                : "; " + machineAfter.minus(machineBefore).describe(used.totalSeconds(), count)));
    }

    // ---- 2. throughput ----------------------------------------------------------------------------------------------

    private void throughput(Setting setting, int round) throws Exception {
        BatchClient batch = client();
        String suffix = setting.id() + (round == 1 ? "" : "-round" + round);
        String pool = "pool-" + suffix;
        batch.pools().create(PoolSpec.of(pool, "standard_d2s_v3", setting.nodes())
                .withTaskSlotsPerNode(setting.slots()));
        List<NodeAgent> agents = startAgents(pool, setting);
        try {
            if (options.warmupTasks() > 0) {
                runJob(batch, pool, "warm-" + suffix, options.warmupTasks());
            }
            double seconds = runJob(batch, pool, "run-" + suffix, options.tasks());
            double rate = options.tasks() / seconds;
            throughput.computeIfAbsent(setting, s -> new ArrayList<>()).add(rate);
            jobOrder.computeIfAbsent(setting, s -> new ArrayList<>()).add(besideMeasures.size() - 1);
            System.out.printf("throughput %s (%d slots), round %d: %d tasks in %.2f s = %8.1f tasks/s%n", setting.id(),
                    setting.totalSlots(), round, options.tasks(), seconds, rate);
        } finally {
            stopAgents(agents);
        }
    }

    /** Adds {@code count} /bin/true tasks to a new job and waits for all of them; returns the seconds it took. */
    private double runJob(BatchClient batch, String pool, String job, int count) {
        batch.jobs().create(JobSpec.of(job, pool));
        List<TaskSpec> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(TaskSpec.of("t" + i, "/bin/true"));
        }
        ProcessCpu cpuBefore = ProcessCpu.now();
        MachineCpu machineBefore = MachineCpu.now();
        double databaseBefore = options.storeUrl() == null ? Double.NaN : DatabaseCpu.seconds();
        long start = System.nanoTime();
        BulkAddResult added = batch.tasks().addTasks(job, tasks);
        long addedAt = System.nanoTime();
        // A count reads every task of the job (two index scans of 20,000 entries; on PostgreSQL with a heap visit
        // each, some 30 ms). The waiter paces its polls by the completion rate, so a run is polled a few dozen times
        // and its end seen within about the first wait (50 ms); it is seen late, never early, so the rate can only
        // come out a little lower. (A fixed 250 ms spent a fifth of PostgreSQL's time on counts.)
        AtomicInteger polls = new AtomicInteger();
        TaskCountsSnapshot counts = batch.tasks().waitForTasks(job, WaitOptions.DEFAULTS
                .withDeadline(Duration.ofMinutes(15)).withPolling(Duration.ofMillis(50), Duration.ofSeconds(1))
                .withProgress(polled -> polls.incrementAndGet()));
        long end = System.nanoTime();
        if (!added.allAdded()) {
            failures.add(job + ": " + added.failures().size() + " tasks not added");
        }
        if (counts.succeeded() != count) {
            failures.add(job + ": " + counts.succeeded() + " of " + count + " tasks succeeded (" + counts + ")");
        }
        ProcessCpu used = cpuBefore == null ? null : ProcessCpu.now().minus(cpuBefore);
        MachineCpu machineAfter = MachineCpu.now();
        double database = DatabaseCpu.seconds() - databaseBefore;
        System.out.printf("  %s: added %d in %.2f s, all completed after %.2f s (%d count polls); CPU: %s%s%n", job,
                count, (addedAt - start) / 1e9, (end - start) / 1e9, polls.get(),
                used == null ? "n/a" : used.perTask(count),
                Double.isNaN(database) ? "" : String.format(", PostgreSQL's processes %.2f ms/task",
                        database * 1000 / count));
        if (used != null && machineBefore != null) {
            // What the machine did beside the measured processes: idle CPUs, or CPU spent elsewhere.
            double accounted = used.totalSeconds() + (Double.isNaN(database) ? 0 : database);
            System.out.printf("    %s%n", machineAfter.minus(machineBefore).describe(accounted, count));
        }
        return (end - start) / 1e9;
    }

    // ---- 3. dispatch latency -------------------------------------------------------------------------------------

    private void latency(Setting setting) throws Exception {
        BatchClient batch = client();
        String pool = "latency-" + setting.id();
        String job = "latency";
        batch.pools().create(PoolSpec.of(pool, "standard_d2s_v3", setting.nodes())
                .withTaskSlotsPerNode(setting.slots()));
        batch.jobs().create(JobSpec.of(job, pool));
        Path dir = Files.createDirectories(work.resolve("started"));
        List<NodeAgent> agents = startAgents(pool, setting);
        latency = newHistogram();
        WaitOptions quick = WaitOptions.DEFAULTS.withDeadline(Duration.ofMinutes(1))
                .withPolling(Duration.ofMillis(5), Duration.ofMillis(20));
        try {
            for (int i = 0; i < options.latencyWarmup() + options.latencySamples(); i++) {
                Path file = dir.resolve("t" + i);
                // The pool is idle: the last task has completed and the agents are back in their lease calls.
                Thread.sleep(50);
                long sent = wallNanos();
                batch.tasks().create(job, TaskSpec.of("t" + i, "/bin/sh -c 'date +%s%N > " + file + "'"));
                long started = readNanos(file, Duration.ofSeconds(30));
                if (i >= options.latencyWarmup()) {
                    latency.recordValue(Math.max(0, (started - sent) / 1_000));
                }
                batch.tasks().waitForTasks(job, quick);
            }
        } finally {
            stopAgents(agents);
        }
        System.out.printf("dispatch latency (%s, %d samples): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", setting.id(),
                latency.getTotalCount(), ms(latency, 50), ms(latency, 99), latency.getMaxValue() / 1000.0);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private BatchClient client() {
        return BatchClient.builder().endpoint(endpoint).sharedKey(ServiceLoadHarness.ACCOUNT, ServiceLoadHarness.KEY)
                .build();
    }

    private List<NodeAgent> startAgents(String pool, Setting setting) throws Exception {
        List<NodeAgent> agents = new ArrayList<>();
        for (int n = 0; n < setting.nodes(); n++) {
            String name = pool + "-node" + n;
            agents.add(NodeAgent.builder(client(), pool).root(work.resolve("nodes").resolve(name)).hostname(name)
                    .taskSlots(setting.slots()).build().start());
        }
        for (NodeAgent agent : agents) {
            agent.registered().get(30, TimeUnit.SECONDS);
        }
        return agents;
    }

    private static void stopAgents(List<NodeAgent> agents) {
        agents.forEach(NodeAgent::leave);
    }

    private static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Waits for the file a task writes and reads its {@code date +%s%N}. */
    private static long readNanos(Path file, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                String text = Files.readString(file).strip();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            } catch (NoSuchFileException | NumberFormatException e) {
                // Not there, or not written completely yet.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No timestamp in " + file + " after " + timeout);
            }
            Thread.sleep(0, 200_000);
        }
    }

    private static Histogram newHistogram() {
        return new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            return "(uptime: " + e + ")";
        }
    }

    private void summary() {
        System.out.println();
        System.out.println("| Measure                                   | Value            | Ratio / goal            |");
        System.out.println("|-------------------------------------------|------------------|-------------------------|");
        Map<String, Double> bestByWay = new LinkedHashMap<>();
        spawnPerSecond.forEach((way, rates) -> {
            rates.forEach((threads, rate) -> System.out.printf(
                    "| spawn limit, %-14s %3d thread(s)   | %8.1f /s       |                         |%n", way, threads,
                    rate));
            bestByWay.put(way, rates.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        });
        bestByWay.forEach((way, rate) -> System.out.printf(
                "| spawn limit, %-14s best               | %8.1f /s       |                         |%n", way, rate));
        double bestSpawn = bestByWay.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        System.out.printf("| spawn limit: the best of the above        | %8.1f /s       |                         |%n",
                bestSpawn);
        if (!besideMeasures.isEmpty()) {
            double lowest = besideMeasures.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double highest = besideMeasures.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            System.out.printf("| spawn limit beside the jobs (%3d thr.)    | %6.0f-%-6.0f /s |  %d measures"
                    + "             |%n", agentWayBestThreads, lowest, highest, besideMeasures.size());
        }
        launcherPerSecond.forEach((threads, rate) -> System.out.printf(
                "| node's launcher alone, %3d thread(s)      | %8.1f tasks/s |                         |%n", threads,
                rate));
        double bestLaunch = launcherPerSecond.values().stream().mapToDouble(Double::doubleValue).max()
                .orElse(Double.NaN);
        System.out.printf("| node's launcher alone, best               | %8.1f tasks/s | %5.1f%% of the best spawn limit |%n",
                bestLaunch, 100 * bestLaunch / bestSpawn);
        Setting best = null;
        Setting bestFirst = null;
        for (Map.Entry<Setting, List<Double>> e : throughput.entrySet()) {
            Setting s = e.getKey();
            List<Double> rates = e.getValue();
            for (int round = 1; round <= rates.size() && rates.size() > 1; round++) {
                System.out.printf("| throughput %-5s (%3d slots), round %d     | %8.1f tasks/s | %5.1f%% of the best spawn "
                        + "limit; %5.1f%% of the limit beside it |%n", s.id(), s.totalSlots(), round,
                        rates.get(round - 1), 100 * rates.get(round - 1) / bestSpawn, 100 * besideRatio(s, round - 1));
            }
            double rate = better(rates);
            StringBuilder perWay = new StringBuilder();
            bestByWay.forEach((way, wayRate) -> perWay.append(String.format("; %5.1f%% of %s's best", 100 * rate
                    / wayRate, way)));
            System.out.printf("| throughput %-5s (%3d slots)%s | %8.1f tasks/s | %5.1f%% of the best spawn limit "
                    + "(>= 60%%)%s; %5.1f%% of the launcher's best; %5.1f%% of the limit beside it |%n", s.id(),
                    s.totalSlots(), rates.size() > 1 ? ", best of " + rates.size() : "              ", rate,
                    100 * rate / bestSpawn, perWay, 100 * rate / bestLaunch, 100 * besideRatio(s, keptRound(rates)));
            if (best == null || rate > better(throughput.get(best))) {
                best = s;
            }
            if (bestFirst == null || rates.getFirst() > throughput.get(bestFirst).getFirst()) {
                bestFirst = s;
            }
        }
        if (latency != null) {
            System.out.printf("| dispatch latency p50 (%3d samples)        | %8.1f ms      | goal <= %.0f ms           |%n",
                    latency.getTotalCount(), ms(latency, 50), GOAL_P50_MS);
            System.out.printf("| dispatch latency p99                      | %8.1f ms      | goal <= %.0f ms          |%n",
                    ms(latency, 99), GOAL_P99_MS);
        }
        System.out.printf("| floor: sh -c date spawned directly, p50   | %8.1f ms      |                         |%n",
                ms(localLatency, 50));
        if (best != null) {
            List<Double> rates = throughput.get(best);
            System.out.printf("best setting %s: %.1f tasks/s%s, %.1f%% of the best spawn limit (%.1f /s)%n", best.id(),
                    better(rates), rates.size() > 1 ? " (the better of " + rates.size() + " rounds)" : "",
                    100 * better(rates) / bestSpawn, bestSpawn);
            int kept = keptRound(rates);
            System.out.printf("the same job against the limit beside it: %.1f%% (%.1f /s: posix_spawn, %d threads, the "
                    + "better of the measures right before and right after the job)%n", 100 * besideRatio(best, kept),
                    besideLimit(jobOrder.get(best).get(kept)), agentWayBestThreads);
            if (options.rounds() > 1) {
                // Also the first round alone, as runs before --rounds measured: nothing of the picture is hidden.
                double first = throughput.get(bestFirst).getFirst();
                System.out.printf("first round alone: best setting %s: %.1f tasks/s, %.1f%% of the best spawn limit%n",
                        bestFirst.id(), first, 100 * first / bestSpawn);
            }
        }
        System.out.println("uptime after: " + uptime());
        failures.forEach(f -> System.out.println("FAILED: " + f));
    }

    /** The round whose rate {@link #better} keeps (0-based). */
    private static int keptRound(List<Double> rates) {
        int kept = 0;
        for (int i = 1; i < rates.size(); i++) {
            if (rates.get(i) > rates.get(kept)) {
                kept = i;
            }
        }
        return kept;
    }

    /** A round's rate over the limit measured beside its job. */
    private double besideRatio(Setting setting, int round) {
        return throughput.get(setting).get(round) / besideLimit(jobOrder.get(setting).get(round));
    }

    private static double better(List<Double> rates) {
        return rates.isEmpty() ? Double.NaN : rates.get(keptRound(rates));
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
