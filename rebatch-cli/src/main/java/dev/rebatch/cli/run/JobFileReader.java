package dev.rebatch.cli.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.OnTaskFailure;
import dev.rebatch.model.job.PoolInformation;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.ExitCodeMapping;
import dev.rebatch.model.task.ExitCodeRangeMapping;
import dev.rebatch.model.task.ExitConditions;
import dev.rebatch.model.task.ExitOptions;
import dev.rebatch.model.task.TaskDependencies;
import dev.rebatch.model.task.TaskIdRange;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.server.api.BatchIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a job file in three passes: the text as JSON (syntax errors with the parser's line and column), each part as
 * its Batch record through a strict mapper (unknown properties, wrong types and unknown enum values refused, with the
 * path), then the checks the service would make too late or not at all: ids, duplicates, dependencies on tasks that
 * are not in the file, cycles. Every problem after the first pass is located in the text by its path.
 */
final class JobFileReader {

    /**
     * Reads user input: unlike the wire mapper, which tolerates what a newer service sends, it refuses what it does
     * not know, so a typo is an error rather than a property silently not sent.
     */
    static final ObjectMapper STRICT = ((JsonMapper) BatchJson.newMapper()).rebuild()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final List<String> TOP_LEVEL = List.of("pool", "job", "tasks", "taskTemplate", "description");
    private static final JsonPath POOL = JsonPath.ROOT.property("pool");
    private static final JsonPath JOB = JsonPath.ROOT.property("job");
    /** Beyond this many dependency edges the graph is not checked for cycles (a range may name many tasks). */
    static final long MAX_CHECKED_EDGES = 2_000_000;

    private final byte[] content;
    private final String source;
    private JsonNode tree;
    private final List<String> notes = new ArrayList<>();

    JobFileReader(byte[] content, String source) {
        this.content = content;
        this.source = source;
    }

    /** A task and where it came from. */
    private record Entry(TaskSpec task, JsonPath origin, Integer i) {

        JsonPath idPath() {
            return i == null ? origin.property("id") : origin.property("idPattern");
        }

        String describe() {
            return i == null ? origin.toString() : origin + " (i = " + i + ")";
        }
    }

    JobFile read() throws JobFileException {
        try {
            tree = STRICT.readTree(content);
        } catch (JsonProcessingException notJson) {
            int line = notJson.getLocation() == null ? 0 : notJson.getLocation().getLineNr();
            int column = notJson.getLocation() == null ? 0 : notJson.getLocation().getColumnNr();
            throw new JobFileException(source, null, line, column, "not valid JSON: " + notJson.getOriginalMessage());
        } catch (java.io.IOException unreadable) {
            throw new JobFileException(source, null, 0, 0, "cannot read it: " + unreadable.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new JobFileException(source, null, 0, 0, "the file is empty: " + shape());
        }
        if (!tree.isObject()) {
            throw fail(JsonPath.ROOT, "a job file is one JSON object: " + shape());
        }
        for (Iterator<String> names = tree.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!TOP_LEVEL.contains(name)) {
                throw fail(JsonPath.ROOT.property(name), "unknown property \"" + name + "\"" + suggestion(name,
                        TOP_LEVEL) + "; a job file has " + String.join(", ", TOP_LEVEL));
            }
        }
        PoolSpec pool = readPool();
        JobSpec job = readJob(pool);
        List<Entry> entries = new ArrayList<>();
        readTasks(entries);
        readTemplates(entries);
        if (entries.isEmpty()) {
            throw fail(JsonPath.ROOT, "no tasks: give \"tasks\" (a list of tasks) or a \"taskTemplate\"");
        }
        checkIds(entries);
        job = checkDependencies(job, entries);
        job = checkJobActions(job, entries);
        List<List<TaskSpec>> waves = waves(entries);
        return new JobFile(pool, job, entries.stream().map(Entry::task).toList(), waves, notes);
    }

    private static String shape() {
        return "{\"pool\": {...}, \"job\": {...}, \"tasks\": [...], \"taskTemplate\": {...}} (pool and job are "
                + "optional; tasks, taskTemplate or both)";
    }

    // ---- pool and job

    private PoolSpec readPool() throws JobFileException {
        JsonNode node = tree.get("pool");
        if (node == null || node.isNull()) {
            return null;
        }
        PoolSpec pool = convert(node, POOL, PoolSpec.class, "a pool");
        if (pool.id() == null) {
            pool = new PoolSpec(JobFile.DEFAULT_POOL, pool.displayName(), pool.vmSize(),
                    pool.virtualMachineConfiguration(), pool.resizeTimeout(), pool.targetDedicatedNodes(),
                    pool.targetLowPriorityNodes(), pool.enableAutoScale(), pool.autoScaleFormula(),
                    pool.enableInterNodeCommunication(), pool.taskSlotsPerNode(), pool.taskSchedulingPolicy(),
                    pool.metadata(), pool.autoScaleEvaluationInterval(), pool.startTask(),
                    pool.applicationPackageReferences());
        } else {
            requireId(pool.id(), POOL.property("id"), "pool id");
        }
        if (pool.vmSize() == null) {
            pool = new PoolSpec(pool.id(), pool.displayName(), JobFile.DEFAULT_VM_SIZE,
                    pool.virtualMachineConfiguration(), pool.resizeTimeout(), pool.targetDedicatedNodes(),
                    pool.targetLowPriorityNodes(), pool.enableAutoScale(), pool.autoScaleFormula(),
                    pool.enableInterNodeCommunication(), pool.taskSlotsPerNode(), pool.taskSchedulingPolicy(),
                    pool.metadata(), pool.autoScaleEvaluationInterval(), pool.startTask(),
                    pool.applicationPackageReferences());
        } else if (pool.vmSize().isBlank()) {
            throw fail(POOL.property("vmSize"), "vmSize is blank: leave it out for local nodes, or name a size");
        }
        nonNegative(pool.targetDedicatedNodes(), POOL.property("targetDedicatedNodes"));
        nonNegative(pool.targetLowPriorityNodes(), POOL.property("targetLowPriorityNodes"));
        if (pool.taskSlotsPerNode() != null && pool.taskSlotsPerNode() < 1) {
            throw fail(POOL.property("taskSlotsPerNode"), "must be at least 1, was " + pool.taskSlotsPerNode());
        }
        return pool;
    }

    private JobSpec readJob(PoolSpec pool) throws JobFileException {
        JsonNode node = tree.get("job");
        JobSpec job = node == null || node.isNull()
                ? new JobSpec(null, null, null, null, null, null, null, null, null, null, null, null)
                : convert(node, JOB, JobSpec.class, "a job");
        if (job.id() != null) {
            requireId(job.id(), JOB.property("id"), "job id");
        }
        PoolInformation poolInfo = job.poolInfo();
        JsonPath poolIdPath = JOB.property("poolInfo").property("poolId");
        if (poolInfo != null && poolInfo.poolId() != null) {
            requireId(poolInfo.poolId(), poolIdPath, "pool id");
            if (pool != null && !poolInfo.poolId().equalsIgnoreCase(pool.id())) {
                throw fail(poolIdPath, "the job runs on pool " + poolInfo.poolId() + " but the file's pool is "
                        + pool.id() + ": leave poolInfo out, or make them the same");
            }
        } else if (poolInfo != null && pool == null) {
            throw fail(JOB.property("poolInfo"), "poolInfo needs a poolId (or leave it out for the pool \""
                    + JobFile.DEFAULT_POOL + "\")");
        }
        if (job.maxParallelTasks() != null && job.maxParallelTasks() != -1 && job.maxParallelTasks() < 1) {
            throw fail(JOB.property("maxParallelTasks"), "must be -1 (no limit) or at least 1, was "
                    + job.maxParallelTasks());
        }
        if (job.priority() != null && (job.priority() < -1000 || job.priority() > 1000)) {
            throw fail(JOB.property("priority"), "must be from -1000 to 1000, was " + job.priority());
        }
        String poolId = pool != null ? pool.id() : poolInfo != null && poolInfo.poolId() != null
                ? poolInfo.poolId() : JobFile.DEFAULT_POOL;
        return job.withPoolInfo(new PoolInformation(poolId));
    }

    // ---- tasks

    private void readTasks(List<Entry> entries) throws JobFileException {
        JsonNode node = tree.get("tasks");
        if (node == null || node.isNull()) {
            return;
        }
        JsonPath tasksPath = JsonPath.ROOT.property("tasks");
        if (!node.isArray()) {
            throw fail(tasksPath, "expected a list of tasks, found " + found(node));
        }
        for (int index = 0; index < node.size(); index++) {
            JsonPath path = tasksPath.index(index);
            JsonNode item = node.get(index);
            if (!item.isObject()) {
                throw fail(path, "expected a task (an object), found " + found(item));
            }
            checkIntegers(item, path);
            TaskSpec task = convert(item, path, TaskSpec.class, "a task");
            entries.add(new Entry(task, path, null));
        }
    }

    private void readTemplates(List<Entry> entries) throws JobFileException {
        JsonNode node = tree.get("taskTemplate");
        if (node == null || node.isNull()) {
            return;
        }
        JsonPath path = JsonPath.ROOT.property("taskTemplate");
        if (node.isArray()) {
            for (int index = 0; index < node.size(); index++) {
                readTemplate(node.get(index), path.index(index), entries);
            }
        } else {
            readTemplate(node, path, entries);
        }
    }

    private void readTemplate(JsonNode node, JsonPath path, List<Entry> entries) throws JobFileException {
        if (!node.isObject()) {
            throw fail(path, "expected a task template (an object with idPattern, range and the task's properties),"
                    + " found " + found(node));
        }
        if (node.has("id")) {
            throw fail(path.property("id"), "a template has \"idPattern\" instead of \"id\", such as \"frame-{i}\"");
        }
        JsonNode pattern = node.get("idPattern");
        if (pattern == null || pattern.isNull()) {
            throw fail(path, "a template needs \"idPattern\", the tasks' id with {i}, such as \"frame-{i}\"");
        }
        if (!pattern.isTextual()) {
            throw fail(path.property("idPattern"), "expected a string such as \"frame-{i}\", found " + found(pattern));
        }
        String idPattern = pattern.asText();
        checkPlaceholders(idPattern, path.property("idPattern"));
        if (!TaskTemplate.hasPlaceholder(idPattern)) {
            throw fail(path.property("idPattern"), "\"" + idPattern + "\" has no {i}: every task would have the "
                    + "same id; write it as \"" + idPattern + "-{i}\"");
        }
        JsonNode range = node.get("range");
        JsonPath rangePath = path.property("range");
        if (range == null || range.isNull()) {
            throw fail(path, "a template needs \"range\": {\"start\": 1, \"end\": N}, the values of i");
        }
        if (!range.isObject()) {
            throw fail(rangePath, "expected {\"start\": 1, \"end\": N}, found " + found(range));
        }
        for (Iterator<String> names = range.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("start") && !name.equals("end")) {
                throw fail(rangePath.property(name), "unknown property \"" + name + "\": a range has start and end");
            }
        }
        int start = requireInt(range, "start", rangePath);
        int end = requireInt(range, "end", rangePath);
        if (start > end) {
            throw fail(rangePath, "start " + start + " is after end " + end);
        }
        if ((long) end - start + 1 > TaskTemplate.MAX_TASKS) {
            throw fail(rangePath, "the range makes " + ((long) end - start + 1) + " tasks; a template makes at most "
                    + TaskTemplate.MAX_TASKS);
        }
        ObjectNode properties = ((ObjectNode) node).deepCopy();
        properties.remove(List.of("idPattern", "range"));
        checkIntegers(properties, path);
        TaskSpec base = convert(properties, path, TaskSpec.class, "a task template");
        checkPlaceholders(base.commandLine(), path.property("commandLine"));
        checkPlaceholders(base.displayName(), path.property("displayName"));
        if (base.environmentSettings() != null) {
            for (int index = 0; index < base.environmentSettings().size(); index++) {
                checkPlaceholders(base.environmentSettings().get(index).value(),
                        path.property("environmentSettings").index(index).property("value"));
            }
        }
        TaskTemplate template = new TaskTemplate(idPattern, start, end, base);
        for (long i = start; i <= end; i++) {
            entries.add(new Entry(template.task((int) i), path, (int) i));
        }
    }

    private void checkPlaceholders(String text, JsonPath path) throws JobFileException {
        try {
            TaskTemplate.checkPlaceholders(text);
        } catch (IllegalArgumentException malformed) {
            throw fail(path, malformed.getMessage());
        }
    }

    /**
     * The integer properties of records that Java reads as {@code int} (so a missing one would read as 0): range
     * starts and ends, exit codes. They must be there.
     */
    private void checkIntegers(JsonNode task, JsonPath path) throws JobFileException {
        JsonNode ranges = task.path("dependsOn").path("taskIdRanges");
        for (int index = 0; ranges.isArray() && index < ranges.size(); index++) {
            JsonPath at = path.property("dependsOn").property("taskIdRanges").index(index);
            if (ranges.get(index).isObject()) {
                requireInt(ranges.get(index), "start", at);
                requireInt(ranges.get(index), "end", at);
            }
        }
        JsonNode conditions = task.path("exitConditions");
        JsonNode codes = conditions.path("exitCodes");
        for (int index = 0; codes.isArray() && index < codes.size(); index++) {
            if (codes.get(index).isObject()) {
                requireInt(codes.get(index), "code",
                        path.property("exitConditions").property("exitCodes").index(index));
            }
        }
        JsonNode codeRanges = conditions.path("exitCodeRanges");
        for (int index = 0; codeRanges.isArray() && index < codeRanges.size(); index++) {
            JsonPath at = path.property("exitConditions").property("exitCodeRanges").index(index);
            if (codeRanges.get(index).isObject()) {
                requireInt(codeRanges.get(index), "start", at);
                requireInt(codeRanges.get(index), "end", at);
            }
        }
    }

    // ---- checks across tasks

    private void checkIds(List<Entry> entries) throws JobFileException {
        Map<String, Entry> byId = new HashMap<>();
        for (Entry entry : entries) {
            TaskSpec task = entry.task();
            if (task.id() == null) {
                throw fail(entry.origin(), "the task has no \"id\"");
            }
            if (!BatchIds.isValid(task.id())) {
                throw fail(entry.idPath(), invalidId(task.id(), "task id")
                        + (entry.i() == null ? "" : " (the id for i = " + entry.i() + ")"));
            }
            if (task.commandLine() == null) {
                throw fail(entry.origin(), "the task has no \"commandLine\"");
            }
            if (task.commandLine().isBlank()) {
                throw fail(entry.origin().property("commandLine"), "the command line is blank");
            }
            Entry earlier = byId.putIfAbsent(task.id().toLowerCase(Locale.ROOT), entry);
            if (earlier != null) {
                throw fail(entry.idPath(), "the task id " + task.id() + " is taken: " + earlier.describe()
                        + " has it too (ids are compared ignoring case)");
            }
            nonNegativeRetries(task, entry);
        }
    }

    private void nonNegativeRetries(TaskSpec task, Entry entry) throws JobFileException {
        if (task.constraints() != null && task.constraints().maxTaskRetryCount() != null
                && task.constraints().maxTaskRetryCount() < -1) {
            throw fail(entry.origin().property("constraints").property("maxTaskRetryCount"),
                    "must be -1 (no limit) or more, was " + task.constraints().maxTaskRetryCount());
        }
        if (task.requiredSlots() != null && task.requiredSlots() < 1) {
            throw fail(entry.origin().property("requiredSlots"), "must be at least 1, was " + task.requiredSlots());
        }
    }

    /**
     * Dependencies must name tasks of this file (a missing parent keeps its dependent waiting for good), never the
     * task itself, and ranges must run forwards. The job must use task dependencies: set when the file leaves it
     * unset, refused when it says false.
     */
    private JobSpec checkDependencies(JobSpec job, List<Entry> entries) throws JobFileException {
        Set<String> ids = entries.stream().map(entry -> entry.task().id().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        Entry needsDependencies = null;
        for (Entry entry : entries) {
            TaskDependencies dependsOn = entry.task().dependsOn();
            if (hasDependencyAction(entry.task().exitConditions()) && needsDependencies == null) {
                needsDependencies = entry;
            }
            if (dependsOn == null) {
                continue;
            }
            if (needsDependencies == null) {
                needsDependencies = entry;
            }
            JsonPath path = entry.origin().property("dependsOn");
            List<String> parents = dependsOn.taskIds() == null ? List.of() : dependsOn.taskIds();
            for (int index = 0; index < parents.size(); index++) {
                String parent = parents.get(index);
                JsonPath at = path.property("taskIds").index(index);
                if (parent == null || !BatchIds.isValid(parent)) {
                    throw fail(at, invalidId(parent, "task id"));
                }
                if (parent.equalsIgnoreCase(entry.task().id())) {
                    throw fail(at, "the task " + entry.task().id() + " depends on itself: it could never run");
                }
                if (!ids.contains(parent.toLowerCase(Locale.ROOT))) {
                    throw fail(at, "depends on the task " + parent + ", which is not in this file: "
                            + entry.task().id() + " would wait for it forever");
                }
            }
            List<TaskIdRange> ranges = dependsOn.taskIdRanges() == null ? List.of() : dependsOn.taskIdRanges();
            for (int index = 0; index < ranges.size(); index++) {
                TaskIdRange range = ranges.get(index);
                JsonPath at = path.property("taskIdRanges").index(index);
                if (range == null) {
                    throw fail(at, "expected {\"start\": A, \"end\": B}");
                }
                if (range.start() > range.end()) {
                    throw fail(at, "start " + range.start() + " is after end " + range.end());
                }
                OptionalInt own = dev.rebatch.server.execution.TaskIdRange.integerValue(entry.task().id());
                if (own.isPresent() && range.start() <= own.getAsInt() && own.getAsInt() <= range.end()) {
                    throw fail(at, "the range " + range.start() + ".." + range.end() + " holds the task's own id "
                            + entry.task().id() + ": it could never run");
                }
            }
        }
        if (needsDependencies == null) {
            return job;
        }
        if (Boolean.FALSE.equals(job.usesTaskDependencies())) {
            throw fail(JOB.property("usesTaskDependencies"), "is false, but " + needsDependencies.describe()
                    + " has dependencies (dependsOn or a dependencyAction): set it to true or leave it out");
        }
        if (job.usesTaskDependencies() == null) {
            notes.add("job.usesTaskDependencies is set to true: " + needsDependencies.describe()
                    + " has dependencies.");
            return job.withUsesTaskDependencies(true);
        }
        return job;
    }

    /**
     * An exit condition's jobAction needs the job's onTaskFailure to be performexitoptionsjobaction: set when the
     * file leaves it unset, refused when it says noaction.
     */
    private JobSpec checkJobActions(JobSpec job, List<Entry> entries) throws JobFileException {
        Entry withJobAction = entries.stream().filter(entry -> hasJobAction(entry.task().exitConditions()))
                .findFirst().orElse(null);
        if (withJobAction == null) {
            return job;
        }
        if (job.onTaskFailure() == OnTaskFailure.NO_ACTION) {
            throw fail(JOB.property("onTaskFailure"), "is noaction, but " + withJobAction.describe()
                    + " has a jobAction in its exitConditions, which only performexitoptionsjobaction carries out");
        }
        if (job.onTaskFailure() == null) {
            notes.add("job.onTaskFailure is set to performexitoptionsjobaction: " + withJobAction.describe()
                    + " has a jobAction in its exitConditions.");
            return job.withOnTaskFailure(OnTaskFailure.PERFORM_EXIT_OPTIONS_JOB_ACTION);
        }
        return job;
    }

    private static boolean hasJobAction(ExitConditions conditions) {
        return exitOptions(conditions).anyMatch(options -> options.jobAction() != null);
    }

    private static boolean hasDependencyAction(ExitConditions conditions) {
        return exitOptions(conditions).anyMatch(options -> options.dependencyAction() != null);
    }

    private static Stream<ExitOptions> exitOptions(ExitConditions conditions) {
        if (conditions == null) {
            return Stream.empty();
        }
        Stream<ExitOptions> codes = conditions.exitCodes() == null ? Stream.empty()
                : conditions.exitCodes().stream().filter(java.util.Objects::nonNull).map(ExitCodeMapping::exitOptions);
        Stream<ExitOptions> ranges = conditions.exitCodeRanges() == null ? Stream.empty()
                : conditions.exitCodeRanges().stream().filter(java.util.Objects::nonNull)
                        .map(ExitCodeRangeMapping::exitOptions);
        Stream<ExitOptions> others = Stream.of(conditions.preProcessingError(), conditions.fileUploadError(),
                conditions.defaultOptions());
        return Stream.of(codes, ranges, others).flatMap(s -> s).filter(java.util.Objects::nonNull);
    }

    /**
     * The order to add the tasks in, and no cycles. A cycle (a waits for b, b for a) would keep its tasks waiting for
     * good, so it is refused naming the tasks on it. Only a range dependency needs its parents added first; without
     * one, all tasks go in one wave, in the file's order.
     */
    private List<List<TaskSpec>> waves(List<Entry> entries) throws JobFileException {
        boolean anyDependencies = entries.stream().anyMatch(entry -> entry.task().dependsOn() != null);
        List<TaskSpec> all = entries.stream().map(Entry::task).toList();
        if (!anyDependencies) {
            return List.of(all);
        }
        int n = entries.size();
        Map<String, Integer> indexById = new HashMap<>();
        TreeMap<Integer, List<Integer>> byInteger = new TreeMap<>();
        for (int index = 0; index < n; index++) {
            String id = entries.get(index).task().id();
            indexById.put(id.toLowerCase(Locale.ROOT), index);
            OptionalInt value = dev.rebatch.server.execution.TaskIdRange.integerValue(id);
            if (value.isPresent()) {
                byInteger.computeIfAbsent(value.getAsInt(), key -> new ArrayList<>()).add(index);
            }
        }
        List<int[]> parentsOf = new ArrayList<>(n);
        boolean anyRange = false;
        long edges = 0;
        for (Entry entry : entries) {
            Set<Integer> parents = new LinkedHashSet<>();
            TaskDependencies dependsOn = entry.task().dependsOn();
            if (dependsOn != null) {
                if (dependsOn.taskIds() != null) {
                    dependsOn.taskIds().forEach(id -> parents.add(indexById.get(id.toLowerCase(Locale.ROOT))));
                }
                if (dependsOn.taskIdRanges() != null) {
                    for (TaskIdRange range : dependsOn.taskIdRanges()) {
                        anyRange = true;
                        Collection<List<Integer>> inRange = byInteger.subMap(range.start(), true, range.end(), true)
                                .values();
                        for (List<Integer> same : inRange) {
                            parents.addAll(same);
                            if (edges + parents.size() > MAX_CHECKED_EDGES) {
                                notes.add("the dependencies name more than " + MAX_CHECKED_EDGES + " parent tasks in "
                                        + "all: they are not checked for cycles, and the tasks are added in the "
                                        + "file's order.");
                                return List.of(all);
                            }
                        }
                    }
                }
            }
            edges += parents.size();
            parentsOf.add(parents.stream().mapToInt(Integer::intValue).toArray());
        }
        int[] waiting = new int[n];
        List<List<Integer>> children = new ArrayList<>(n);
        for (int index = 0; index < n; index++) {
            children.add(new ArrayList<>());
        }
        for (int child = 0; child < n; child++) {
            waiting[child] = parentsOf.get(child).length;
            for (int parent : parentsOf.get(child)) {
                children.get(parent).add(child);
            }
        }
        List<List<TaskSpec>> waves = new ArrayList<>();
        List<Integer> ready = new ArrayList<>();
        for (int index = 0; index < n; index++) {
            if (waiting[index] == 0) {
                ready.add(index);
            }
        }
        int placed = 0;
        while (!ready.isEmpty()) {
            ready.sort(Comparator.naturalOrder());
            waves.add(ready.stream().map(index -> entries.get(index).task()).toList());
            placed += ready.size();
            List<Integer> next = new ArrayList<>();
            for (int parent : ready) {
                for (int child : children.get(parent)) {
                    if (--waiting[child] == 0) {
                        next.add(child);
                    }
                }
            }
            ready = next;
        }
        if (placed < n) {
            throw cycle(entries, parentsOf, waiting);
        }
        return anyRange ? waves : List.of(all);
    }

    /** The error for a cycle among the tasks still waiting after every other task was placed. */
    private JobFileException cycle(List<Entry> entries, List<int[]> parentsOf, int[] waiting) {
        int start = 0;
        while (waiting[start] == 0) {
            start++;
        }
        // Walk to waiting parents until a task repeats: the walk from there is a cycle.
        List<Integer> walk = new ArrayList<>();
        Map<Integer, Integer> seenAt = new HashMap<>();
        int current = start;
        while (!seenAt.containsKey(current)) {
            seenAt.put(current, walk.size());
            walk.add(current);
            current = Arrays.stream(parentsOf.get(current)).filter(parent -> waiting[parent] > 0).findFirst()
                    .orElseThrow();
        }
        List<Integer> loop = new ArrayList<>(walk.subList(seenAt.get(current), walk.size()));
        // Told as "a waits for b waits for c waits for a".
        String text = loop.stream().map(index -> entries.get(index).task().id())
                .collect(Collectors.joining(" waits for ")) + " waits for " + entries.get(loop.get(0)).task().id();
        Entry first = entries.get(loop.get(0));
        return fail(first.origin().property("dependsOn"), "the dependencies go round in a cycle: " + text
                + "; none of these tasks could ever run");
    }

    // ---- conversions and messages

    private <T> T convert(JsonNode node, JsonPath path, Class<T> type, String noun) throws JobFileException {
        if (!node.isObject()) {
            throw fail(path, "expected " + noun + " (an object), found " + found(node));
        }
        try {
            return STRICT.treeToValue(node, type);
        } catch (UnrecognizedPropertyException unknown) {
            JsonPath at = path(path, unknown);
            List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                    : unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            String owner = unknown.getPath().size() <= 1 ? noun : "this object";
            throw fail(at, "unknown property \"" + unknown.getPropertyName() + "\"" + suggestion(
                    unknown.getPropertyName(), known) + "; " + owner + " has " + String.join(", ", known));
        } catch (ValueInstantiationException refused) {
            Throwable cause = refused.getCause() == null ? refused : refused.getCause();
            throw fail(path(path, refused), "not usable: " + (cause.getMessage() == null
                    ? cause.getClass().getSimpleName() : cause.getMessage()));
        } catch (MismatchedInputException wrong) {
            JsonPath at = path(path, wrong);
            Class<?> target = wrong.getTargetType();
            throw fail(at, "expected " + expected(target) + ", found " + found(nodeAt(at)));
        } catch (JsonMappingException other) {
            throw fail(path(path, other), other.getOriginalMessage());
        } catch (JsonProcessingException other) {
            throw fail(path, other.getOriginalMessage());
        }
    }

    /** {@code base} followed by the exception's path inside the converted node. */
    private static JsonPath path(JsonPath base, JsonMappingException problem) {
        JsonPath path = base;
        for (JsonMappingException.Reference reference : problem.getPath()) {
            if (reference.getFieldName() != null) {
                path = path.property(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path = path.index(reference.getIndex());
            }
        }
        return path;
    }

    private JsonNode nodeAt(JsonPath path) {
        JsonNode node = tree;
        for (Object segment : path.segments()) {
            node = segment instanceof Integer index ? node.path(index) : node.path((String) segment);
        }
        return node;
    }

    static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Duration.class) {
            return "an ISO 8601 duration such as \"PT1H\" or \"PT30S\"";
        }
        if (type == Instant.class) {
            return "an ISO 8601 time such as \"2024-07-01T10:00:00Z\"";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> STRICT.convertValue(constant, String.class))
                    .filter(wire -> !wire.equals("unknown"))
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    private static String found(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.isObject() ? "an object" : node.isArray() ? "a list" : node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private int requireInt(JsonNode parent, String name, JsonPath parentPath) throws JobFileException {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            throw fail(parentPath, "\"" + name + "\" is missing");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw fail(parentPath.property(name), "expected an integer, found " + found(value));
        }
        return value.asInt();
    }

    private void requireId(String id, JsonPath path, String what) throws JobFileException {
        if (!BatchIds.isValid(id)) {
            throw fail(path, invalidId(id, what));
        }
    }

    private static String invalidId(String id, String what) {
        return "\"" + id + "\" is not a valid " + what + ": ids have 1 to 64 letters, digits, hyphens and "
                + "underscores";
    }

    private void nonNegative(Integer value, JsonPath path) throws JobFileException {
        if (value != null && value < 0) {
            throw fail(path, "must be 0 or more, was " + value);
        }
    }

    /** "; did you mean X?" for the known name closest to a misspelt one, when one is close. */
    static String suggestion(String name, Collection<String> known) {
        Optional<String> closest = known.stream()
                .min(Comparator.comparingInt(candidate -> distance(name.toLowerCase(Locale.ROOT),
                        candidate.toLowerCase(Locale.ROOT))));
        return closest.filter(candidate -> distance(name.toLowerCase(Locale.ROOT),
                candidate.toLowerCase(Locale.ROOT)) <= Math.max(2, name.length() / 4))
                .map(candidate -> " (did you mean \"" + candidate + "\"?)").orElse("");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private JobFileException fail(JsonPath path, String problem) {
        Optional<JsonLocator.Position> at = JsonLocator.locate(content, path);
        return new JobFileException(source, path, at.map(JsonLocator.Position::line).orElse(0),
                at.map(JsonLocator.Position::column).orElse(0), problem);
    }
}
