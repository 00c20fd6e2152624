package dev.rebatch.client.soak;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.ListOptions;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.JobState;
import dev.rebatch.model.task.CloudTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The fault soak: job creates, job actions (disable, enable, terminate), single task adds and bulk task adds, run
 * in parallel through a client while the service injects faults; then, with faults off, the service's state is read
 * with a clean client and compared with what the client under test reported.
 */
public final class SoakWorkload {

    private final int jobs;
    private final int actedJobs;
    private final int singleTasks;
    private final int bulkTasks;
    private final int threads;
    private final String prefix;

    /**
     * @param jobs        jobs created
     * @param actedJobs   of those, how many are disabled, enabled and terminated (3 actions each)
     * @param singleTasks tasks added one by one
     * @param bulkTasks   tasks added through bulk add (in calls of 500)
     * @param threads     calls running at once
     * @param prefix      prefix of every id, so runs do not collide
     */
    public SoakWorkload(int jobs, int actedJobs, int singleTasks, int bulkTasks, int threads, String prefix) {
        this.jobs = jobs;
        this.actedJobs = actedJobs;
        this.singleTasks = singleTasks;
        this.bulkTasks = bulkTasks;
        this.threads = threads;
        this.prefix = prefix;
    }

    /** The default size of the soak: 10,000 operations. */
    public static SoakWorkload tenThousand(String prefix) {
        return new SoakWorkload(3000, 1000, 2000, 2000, 16, prefix);
    }

    /**
     * Runs the workload through {@code client}; {@code faultsOff} is called before the state is checked with
     * {@code checker}, a client that meets no faults.
     */
    public SoakReport run(SoakClient client, Runnable faultsOff, BatchClient checker) throws Exception {
        Results results = new Results(client::kindOf);
        long start = System.nanoTime();
        String singleJob = prefix + "-single";
        String bulkJob = prefix + "-bulk";
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            results.record("setup", () -> client.createJob(singleJob, "soak-pool"));
            results.record("setup", () -> client.createJob(bulkJob, "soak-pool"));
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String id = jobId(i);
                boolean acted = i < actedJobs;
                work.add(pool.submit(() -> {
                    boolean created = results.record("create job " + id, () -> client.createJob(id, "soak-pool"));
                    if (created && acted) {
                        boolean disabled = results.record("disable job " + id, () -> client.disableJob(id));
                        if (disabled) {
                            results.record("enable job " + id, () -> client.enableJob(id));
                        }
                        if (results.record("terminate job " + id, () -> client.terminateJob(id))) {
                            results.terminated.add(id);
                        }
                    }
                }));
            }
            for (int i = 0; i < singleTasks; i++) {
                String taskId = "t-" + i;
                work.add(pool.submit(() -> results.recordCreate(singleJob, taskId,
                        () -> client.createTask(singleJob, taskId, "/bin/echo " + taskId))));
            }
            for (int from = 0; from < bulkTasks; from += 500) {
                int first = from;
                work.add(pool.submit(() -> results.recordBulk(client, bulkJob, IntStream.range(first,
                        Math.min(first + 500, bulkTasks)).mapToObj(i -> Map.entry("b-" + i, "/bin/echo " + i)).toList())));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long requests = client.requestsSent();
        faultsOff.run();
        return check(client, results, checker, singleJob, bulkJob, elapsed, requests);
    }

    private SoakReport check(SoakClient client, Results results, BatchClient checker, String singleJob,
            String bulkJob, Duration elapsed, long requests) {
        Map<String, CloudJob> jobsFound = checker.jobs().list(ListOptions.ALL)
                .filter(job -> job.id().startsWith(prefix + "-j-"))
                .collect(Collectors.toMap(CloudJob::id, Function.identity()));
        Map<String, Long> singleFound = countIds(checker.tasks().list(singleJob).map(CloudTask::id).toList());
        Map<String, Long> bulkFound = countIds(checker.tasks().list(bulkJob).map(CloudTask::id).toList());

        long lost = 0;
        long unexplained = 0;
        for (Map.Entry<String, Boolean> create : results.jobCreates.entrySet()) {
            boolean exists = jobsFound.containsKey(create.getKey());
            lost += create.getValue() && !exists ? 1 : 0;
        }
        for (String id : results.terminated) {
            JobState state = jobsFound.containsKey(id) ? jobsFound.get(id).state() : null;
            lost += state == JobState.TERMINATING || state == JobState.COMPLETED ? 0 : 1;
        }
        for (Map.Entry<String, Boolean> create : results.taskCreates.entrySet()) {
            String[] jobAndTask = create.getKey().split("/", 2);
            Map<String, Long> found = jobAndTask[0].equals(singleJob) ? singleFound : bulkFound;
            lost += create.getValue() && !found.containsKey(jobAndTask[1]) ? 1 : 0;
        }
        for (Failure failure : results.failures) {
            boolean applied = switch (failure.kind()) {
                case JOB_CREATE -> jobsFound.containsKey(failure.id());
                case TASK_CREATE -> (failure.id().startsWith(singleJob + "/") ? singleFound : bulkFound)
                        .containsKey(failure.id().substring(failure.id().indexOf('/') + 1));
                case OTHER -> false;
            };
            unexplained += client.explains(failure.error(), applied) ? 0 : 1;
        }
        Set<String> askedJobs = IntStream.range(0, jobs).mapToObj(this::jobId).collect(Collectors.toSet());
        long duplicates = jobsFound.keySet().stream().filter(id -> !askedJobs.contains(id)).count()
                + extra(singleFound, singleTasks, "t-") + extra(bulkFound, bulkTasks, "b-");
        long operations = results.succeeded.get() + results.failed.get();
        return new SoakReport(operations, results.succeeded.get(), results.failed.get(), unexplained, lost,
                duplicates, requests, elapsed, new TreeMap<>(results.failureKinds), List.copyOf(results.samples.values()));
    }

    private static long extra(Map<String, Long> found, int asked, String prefix) {
        return found.entrySet().stream().mapToLong(entry -> {
            boolean wasAsked = entry.getKey().startsWith(prefix)
                    && Integer.parseInt(entry.getKey().substring(prefix.length())) < asked;
            return wasAsked ? entry.getValue() - 1 : entry.getValue();
        }).sum();
    }

    private static Map<String, Long> countIds(List<String> ids) {
        return ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private String jobId(int i) {
        return prefix + "-j-" + i;
    }

    enum Kind { JOB_CREATE, TASK_CREATE, OTHER }

    record Failure(Kind kind, String id, Exception error) {}

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** What the client under test reported, per call. */
    private static final class Results {
        final AtomicLong succeeded = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Map<String, Boolean> jobCreates = new ConcurrentHashMap<>();
        final Map<String, Boolean> taskCreates = new ConcurrentHashMap<>();
        final Set<String> terminated = ConcurrentHashMap.newKeySet();
        final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Long> failureKinds = new ConcurrentHashMap<>();
        final Function<Exception, String> kindOf;
        final Map<String, String> samples = new ConcurrentHashMap<>();

        Results(Function<Exception, String> kindOf) {
            this.kindOf = kindOf;
        }

        boolean record(String what, Call call) {
            Kind kind = what.startsWith("create job ") ? Kind.JOB_CREATE : Kind.OTHER;
            String id = kind == Kind.JOB_CREATE ? what.substring("create job ".length()) : what;
            boolean ok = attempt(kind, id, call);
            if (kind == Kind.JOB_CREATE) {
                jobCreates.put(id, ok);
            }
            return ok;
        }

        void recordCreate(String jobId, String taskId, Call call) {
            taskCreates.put(jobId + "/" + taskId, attempt(Kind.TASK_CREATE, jobId + "/" + taskId, call));
        }

        void recordBulk(SoakClient client, String jobId, List<Map.Entry<String, String>> tasks) {
            Map<String, String> notAdded;
            try {
                notAdded = client.addTasks(jobId, tasks);
            } catch (Exception wholeCallFailed) {
                tasks.forEach(task -> {
                    taskCreates.put(jobId + "/" + task.getKey(), false);
                    fail(Kind.TASK_CREATE, jobId + "/" + task.getKey(), wholeCallFailed);
                });
                return;
            }
            for (Map.Entry<String, String> task : tasks) {
                String why = notAdded.get(task.getKey());
                taskCreates.put(jobId + "/" + task.getKey(), why == null);
                if (why == null) {
                    succeeded.incrementAndGet();
                } else {
                    fail(Kind.TASK_CREATE, jobId + "/" + task.getKey(), new BulkTaskFailure(why));
                }
            }
        }

        private boolean attempt(Kind kind, String id, Call call) {
            try {
                call.run();
                succeeded.incrementAndGet();
                return true;
            } catch (Exception e) {
                fail(kind, id, e);
                return false;
            }
        }

        private void fail(Kind kind, String id, Exception e) {
            failed.incrementAndGet();
            failures.add(new Failure(kind, id, e));
            String reported = kindOf.apply(e);
            failureKinds.merge(reported, 1L, Long::sum);
            StringBuilder sample = new StringBuilder(id).append(": ").append(e.getMessage());
            for (Throwable suppressed : e.getSuppressed()) {
                sample.append(" [while checking: ").append(suppressed).append(']');
            }
            samples.putIfAbsent(reported, sample.toString());
        }
    }
}
