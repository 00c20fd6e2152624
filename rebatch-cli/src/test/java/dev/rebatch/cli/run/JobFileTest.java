package dev.rebatch.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rebatch.model.job.OnAllTasksComplete;
import dev.rebatch.model.job.OnTaskFailure;
import dev.rebatch.model.task.DependencyAction;
import dev.rebatch.model.task.JobAction;
import dev.rebatch.model.task.TaskSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JobFileTest {

    static JobFile parse(String json) throws JobFileException {
        return JobFile.parse(json.getBytes(StandardCharsets.UTF_8), "job.json");
    }

    static JobFileException problem(String json) {
        return catchThrowableOfType(JobFileException.class, () -> parse(json));
    }

    @Test
    void tasksAlone_getTheDefaultPoolAndNoJobId() throws Exception {
        JobFile file = parse("""
                {"tasks": [{"id": "a", "commandLine": "/bin/true"}, {"id": "b", "commandLine": "/bin/false"}]}
                """);
        assertThat(file.pool()).isNull();
        assertThat(file.poolId()).isEqualTo("local");
        assertThat(file.job().id()).isNull();
        assertThat(file.job().poolInfo().poolId()).isEqualTo("local");
        assertThat(file.tasks()).extracting(TaskSpec::id).containsExactly("a", "b");
        assertThat(file.waves()).hasSize(1);
        assertThat(file.notes()).isEmpty();
    }

    @Test
    void everyPartInItsBatchShape() throws Exception {
        JobFile file = parse("""
                {
                  "description": "all parts",
                  "pool": {"id": "render-farm", "vmSize": "standard_d2s_v3", "targetDedicatedNodes": 3,
                           "taskSlotsPerNode": 2},
                  "job": {"id": "render", "priority": 100, "maxParallelTasks": 4,
                          "constraints": {"maxWallClockTime": "PT2H", "maxTaskRetryCount": 2},
                          "onAllTasksComplete": "terminatejob",
                          "commonEnvironmentSettings": [{"name": "SCENE", "value": "castle"}]},
                  "tasks": [
                    {"id": "prepare", "commandLine": "/bin/sh -c 'echo prep'",
                     "constraints": {"maxTaskRetryCount": 1, "maxWallClockTime": "PT5M"},
                     "environmentSettings": [{"name": "MODE", "value": "fast"}], "requiredSlots": 2}
                  ]
                }
                """);
        assertThat(file.pool().id()).isEqualTo("render-farm");
        assertThat(file.pool().vmSize()).isEqualTo("standard_d2s_v3");
        assertThat(file.pool().targetDedicatedNodes()).isEqualTo(3);
        assertThat(file.pool().taskSlotsPerNode()).isEqualTo(2);
        assertThat(file.job().id()).isEqualTo("render");
        assertThat(file.job().poolInfo().poolId()).isEqualTo("render-farm");
        assertThat(file.job().constraints().maxWallClockTime()).isEqualTo(Duration.ofHours(2));
        assertThat(file.job().onAllTasksComplete()).isEqualTo(OnAllTasksComplete.TERMINATE_JOB);
        assertThat(file.job().commonEnvironmentSettings().get(0).value()).isEqualTo("castle");
        TaskSpec prepare = file.tasks().get(0);
        assertThat(prepare.constraints().maxTaskRetryCount()).isEqualTo(1);
        assertThat(prepare.constraints().maxWallClockTime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(prepare.requiredSlots()).isEqualTo(2);
        assertThat(file.poolId()).isEqualTo("render-farm");
    }

    @Test
    void aPoolWithoutIdOrVmSize_isTheLocalOne() throws Exception {
        JobFile file = parse("""
                {"pool": {"targetDedicatedNodes": 2}, "tasks": [{"id": "a", "commandLine": "/bin/true"}]}
                """);
        assertThat(file.pool().id()).isEqualTo("local");
        assertThat(file.pool().vmSize()).isEqualTo("local");
        assertThat(file.pool().targetDedicatedNodes()).isEqualTo(2);
    }

    @Test
    void aTemplate_expandsWithPaddingInIdCommandDisplayNameAndEnvironment() throws Exception {
        JobFile file = parse("""
                {"taskTemplate": {"idPattern": "frame-{i:04}", "displayName": "frame {i}",
                  "commandLine": "/bin/sh -c 'render {i} --out frame-{i:04}.png; echo ${i} $HOME'",
                  "environmentSettings": [{"name": "FRAME", "value": "{i}"}, {"name": "FIXED", "value": "x"}],
                  "constraints": {"maxTaskRetryCount": 3},
                  "range": {"start": 8, "end": 11}}}
                """);
        assertThat(file.tasks()).extracting(TaskSpec::id)
                .containsExactly("frame-0008", "frame-0009", "frame-0010", "frame-0011");
        TaskSpec ten = file.tasks().get(2);
        assertThat(ten.displayName()).isEqualTo("frame 10");
        assertThat(ten.commandLine()).isEqualTo("/bin/sh -c 'render 10 --out frame-0010.png; echo ${i} $HOME'");
        assertThat(ten.environmentSettings()).extracting(setting -> setting.name() + "=" + setting.value())
                .containsExactly("FRAME=10", "FIXED=x");
        assertThat(ten.constraints().maxTaskRetryCount()).isEqualTo(3);
    }

    @Test
    void tasksAndTemplates_together_tasksFirst() throws Exception {
        JobFile file = parse("""
                {"tasks": [{"id": "setup", "commandLine": "/bin/true"}],
                 "taskTemplate": [
                   {"idPattern": "a{i}", "commandLine": "/bin/echo {i}", "range": {"start": 1, "end": 2},
                    "dependsOn": {"taskIds": ["setup"]}},
                   {"idPattern": "b{i}", "commandLine": "/bin/echo {i}", "range": {"start": 1, "end": 1}}]}
                """);
        assertThat(file.tasks()).extracting(TaskSpec::id).containsExactly("setup", "a1", "a2", "b1");
        assertThat(file.job().usesTaskDependencies()).isTrue();
        assertThat(file.notes()).singleElement().asString()
                .contains("usesTaskDependencies is set to true").contains("taskTemplate[0] (i = 1)");
        assertThat(file.waves()).as("explicit ids need no order: a missing parent is waited for").hasSize(1);
    }

    @Test
    void aJobActionSetsOnTaskFailure_whenTheFileLeavesItOut() throws Exception {
        JobFile file = parse("""
                {"tasks": [{"id": "a", "commandLine": "/bin/false",
                  "exitConditions": {"default": {"jobAction": "terminate", "dependencyAction": "block"}}}]}
                """);
        assertThat(file.job().onTaskFailure()).isEqualTo(OnTaskFailure.PERFORM_EXIT_OPTIONS_JOB_ACTION);
        assertThat(file.job().usesTaskDependencies()).as("a dependencyAction needs it").isTrue();
        assertThat(file.tasks().get(0).exitConditions().defaultOptions().jobAction()).isEqualTo(JobAction.TERMINATE);
        assertThat(file.tasks().get(0).exitConditions().defaultOptions().dependencyAction())
                .isEqualTo(DependencyAction.BLOCK);
        assertThat(file.notes()).hasSize(2);
    }

    @Test
    void rangeDependencies_areAddedInWaves_parentsFirst() throws Exception {
        JobFile file = parse("""
                {"tasks": [
                  {"id": "4", "commandLine": "/bin/true", "dependsOn": {"taskIdRanges": [{"start": 2, "end": 3}]}},
                  {"id": "2", "commandLine": "/bin/true", "dependsOn": {"taskIds": ["1"]}},
                  {"id": "report", "commandLine": "/bin/true", "dependsOn": {"taskIds": ["4"]}},
                  {"id": "1", "commandLine": "/bin/true"},
                  {"id": "3", "commandLine": "/bin/true", "dependsOn": {"taskIds": ["1"]}}]}
                """);
        assertThat(file.waves()).extracting(wave -> wave.stream().map(TaskSpec::id).toList())
                .containsExactly(List.of("1"), List.of("2", "3"), List.of("4"), List.of("report"));
        assertThat(file.tasks()).extracting(TaskSpec::id).containsExactly("4", "2", "report", "1", "3");
    }

    // ---- errors: each says where (line, column, path) and what

    @Test
    void notJson_givesTheParsersLineAndColumn() {
        JobFileException bad = problem("""
                {"tasks": [
                  {"id": "a", "commandLine": "/bin/true",}
                ]}
                """);
        assertThat(bad.line()).isEqualTo(2);
        assertThat(bad.column()).isGreaterThan(30);
        assertThat(bad.getMessage()).startsWith("job.json:2:").contains("not valid JSON");
    }

    @Test
    void anUnknownProperty_isNamedWithItsPathAndTheClosestKnownOne() {
        JobFileException bad = problem("""
                {
                  "tasks": [
                    {"id": "a", "commandLine": "/bin/true"},
                    {"id": "b", "comandLine": "/bin/true"}
                  ]
                }
                """);
        assertThat(bad.path()).hasToString("tasks[1].comandLine");
        assertThat(bad.line()).isEqualTo(4);
        assertThat(bad.column()).as("where its value starts").isEqualTo(31);
        assertThat(bad.getMessage()).startsWith("job.json:4:31: tasks[1].comandLine: unknown property \"comandLine\" "
                + "(did you mean \"commandLine\"?); a task has ");
    }

    @Test
    void anUnknownTopLevelProperty() {
        JobFileException bad = problem("""
                {"task": [{"id": "a", "commandLine": "/bin/true"}]}
                """);
        assertThat(bad.getMessage()).isEqualTo("job.json:1:10: task: unknown property \"task\" (did you mean "
                + "\"tasks\"?); a job file has pool, job, tasks, taskTemplate, description");
    }

    @Test
    void aWrongType_saysWhatWasExpectedAndFound() {
        JobFileException bad = problem("""
                {"tasks": [{"id": "a", "commandLine": "/bin/true",
                            "constraints": {"maxTaskRetryCount": "three"}}]}
                """);
        assertThat(bad.path()).hasToString("tasks[0].constraints.maxTaskRetryCount");
        assertThat(bad.problem()).isEqualTo("expected an integer, found \"three\"");
        assertThat(bad.line()).isEqualTo(2);
    }

    @Test
    void aNumberInQuotes_isNotAnInteger_andADurationMustBeIso() {
        assertThat(problem("""
                {"tasks": [{"id": "a", "commandLine": "x", "requiredSlots": "2"}]}
                """).problem()).isEqualTo("expected an integer, found \"2\"");
        JobFileException duration = problem("""
                {"tasks": [{"id": "a", "commandLine": "x", "constraints": {"maxWallClockTime": "2 hours"}}]}
                """);
        assertThat(duration.path()).hasToString("tasks[0].constraints.maxWallClockTime");
        assertThat(duration.problem()).startsWith("expected an ISO 8601 duration such as \"PT1H\"");
    }

    @Test
    void anUnknownEnumValue_listsTheAllowedOnes() {
        JobFileException bad = problem("""
                {"job": {"onAllTasksComplete": "terminate"}, "tasks": [{"id": "a", "commandLine": "x"}]}
                """);
        assertThat(bad.path()).hasToString("job.onAllTasksComplete");
        assertThat(bad.problem()).isEqualTo("expected one of noaction, terminatejob, found \"terminate\"");
    }

    @Test
    void idsAreChecked_beforeAnythingIsSent() {
        assertThat(problem("""
                {"tasks": [{"id": "a b", "commandLine": "x"}]}
                """).getMessage()).isEqualTo("job.json:1:19: tasks[0].id: \"a b\" is not a valid task id: ids have 1 "
                + "to 64 letters, digits, hyphens and underscores");
        assertThat(problem("""
                {"job": {"id": "job.1"}, "tasks": [{"id": "a", "commandLine": "x"}]}
                """).path()).hasToString("job.id");
        assertThat(problem("""
                {"pool": {"id": "p/1"}, "tasks": [{"id": "a", "commandLine": "x"}]}
                """).path()).hasToString("pool.id");
        assertThat(problem("""
                {"taskTemplate": {"idPattern": "t{i:065}", "commandLine": "x", "range": {"start": 1, "end": 2}}}
                """).problem()).startsWith("\"t0000").endsWith("(the id for i = 1)");
    }

    @Test
    void duplicateIds_evenInAnotherCase_nameBothPlaces() {
        JobFileException bad = problem("""
                {"tasks": [{"id": "frame-2", "commandLine": "x"}],
                 "taskTemplate": {"idPattern": "FRAME-{i}", "commandLine": "x", "range": {"start": 1, "end": 3}}}
                """);
        assertThat(bad.path()).hasToString("taskTemplate.idPattern");
        assertThat(bad.problem()).isEqualTo("the task id FRAME-2 is taken: tasks[0] has it too (ids are compared "
                + "ignoring case)");
    }

    @Test
    void missingIdOrCommandLine() {
        assertThat(problem("""
                {"tasks": [{"commandLine": "x"}]}
                """).getMessage()).isEqualTo("job.json:1:12: tasks[0]: the task has no \"id\"");
        assertThat(problem("""
                {"tasks": [{"id": "a"}]}
                """).problem()).isEqualTo("the task has no \"commandLine\"");
        assertThat(problem("""
                {"tasks": []}
                """).problem()).startsWith("no tasks");
        assertThat(problem("{}").problem()).startsWith("no tasks");
        assertThat(problem("").problem()).startsWith("the file is empty");
        assertThat(problem("[1]").problem()).startsWith("a job file is one JSON object");
    }

    @Test
    void dependencies_onMissingTasks_onThemselves_andInCycles_areRefused() {
        JobFileException missing = problem("""
                {"tasks": [{"id": "a", "commandLine": "x", "dependsOn": {"taskIds": ["b", "c"]}},
                           {"id": "b", "commandLine": "x"}]}
                """);
        assertThat(missing.path()).hasToString("tasks[0].dependsOn.taskIds[1]");
        assertThat(missing.problem()).isEqualTo("depends on the task c, which is not in this file: a would wait for "
                + "it forever");
        assertThat(problem("""
                {"tasks": [{"id": "a", "commandLine": "x", "dependsOn": {"taskIds": ["A"]}}]}
                """).problem()).contains("depends on itself");
        assertThat(problem("""
                {"tasks": [{"id": "7", "commandLine": "x", "dependsOn": {"taskIdRanges": [{"start": 1, "end": 9}]}}]}
                """).problem()).contains("holds the task's own id 7");
        JobFileException cycle = problem("""
                {"tasks": [{"id": "a", "commandLine": "x", "dependsOn": {"taskIds": ["c"]}},
                           {"id": "b", "commandLine": "x", "dependsOn": {"taskIds": ["a"]}},
                           {"id": "c", "commandLine": "x", "dependsOn": {"taskIds": ["b"]}},
                           {"id": "d", "commandLine": "x"}]}
                """);
        assertThat(cycle.problem()).isEqualTo("the dependencies go round in a cycle: a waits for c waits for b waits "
                + "for a; none of these tasks could ever run");
        JobFileException rangeCycle = problem("""
                {"tasks": [{"id": "1", "commandLine": "x", "dependsOn": {"taskIdRanges": [{"start": 2, "end": 2}]}},
                           {"id": "2", "commandLine": "x", "dependsOn": {"taskIds": ["1"]}}]}
                """);
        assertThat(rangeCycle.problem()).startsWith("the dependencies go round in a cycle: 1 waits for 2 waits for 1");
        assertThat(problem("""
                {"tasks": [{"id": "a", "commandLine": "x", "dependsOn": {"taskIdRanges": [{"start": 5, "end": 2}]}}]}
                """).problem()).isEqualTo("start 5 is after end 2");
        assertThat(problem("""
                {"tasks": [{"id": "a", "commandLine": "x", "dependsOn": {"taskIdRanges": [{"start": 5}]}}]}
                """).problem()).isEqualTo("\"end\" is missing");
    }

    @Test
    void jobSettingsThatContradictTheTasks_areRefused() {
        JobFileException dependencies = problem("""
                {"job": {"usesTaskDependencies": false},
                 "tasks": [{"id": "a", "commandLine": "x"}, {"id": "b", "commandLine": "x",
                            "dependsOn": {"taskIds": ["a"]}}]}
                """);
        assertThat(dependencies.path()).hasToString("job.usesTaskDependencies");
        assertThat(dependencies.problem()).contains("tasks[1] has dependencies");
        JobFileException jobAction = problem("""
                {"job": {"onTaskFailure": "noaction"},
                 "tasks": [{"id": "a", "commandLine": "x",
                            "exitConditions": {"exitCodes": [{"code": 2, "exitOptions": {"jobAction": "disable"}}]}}]}
                """);
        assertThat(jobAction.path()).hasToString("job.onTaskFailure");
        JobFileException otherPool = problem("""
                {"pool": {"id": "p1"}, "job": {"poolInfo": {"poolId": "p2"}}, "tasks": [{"id": "a", "commandLine": "x"}]}
                """);
        assertThat(otherPool.path()).hasToString("job.poolInfo.poolId");
        assertThat(problem("""
                {"tasks": [{"id": "a", "commandLine": "x", "exitConditions": {"exitCodes": [{"exitOptions": {}}]}}]}
                """).problem()).isEqualTo("\"code\" is missing");
    }

    @Test
    void templateErrors() {
        assertThat(problem("""
                {"taskTemplate": {"idPattern": "frame", "commandLine": "x", "range": {"start": 1, "end": 2}}}
                """).problem()).startsWith("\"frame\" has no {i}: every task would have the same id");
        JobFileException format = problem("""
                {"taskTemplate": {"idPattern": "f{i}", "commandLine": "render {i:x5}", "range": {"start": 1, "end": 2}}}
                """);
        assertThat(format.path()).hasToString("taskTemplate.commandLine");
        assertThat(format.problem()).startsWith("{i:x5} is not a placeholder");
        assertThat(problem("""
                {"taskTemplate": {"idPattern": "f{i}", "commandLine": "x", "range": {"start": 3, "end": 2}}}
                """).problem()).isEqualTo("start 3 is after end 2");
        assertThat(problem("""
                {"taskTemplate": {"idPattern": "f{i}", "commandLine": "x", "range": {"start": 1, "end": 2000000}}}
                """).problem()).contains("at most 1000000");
        assertThat(problem("""
                {"taskTemplate": {"idPattern": "f{i}", "commandLine": "x"}}
                """).problem()).startsWith("a template needs \"range\"");
        assertThat(problem("""
                {"taskTemplate": {"id": "f", "commandLine": "x", "range": {"start": 1, "end": 2}}}
                """).path()).hasToString("taskTemplate.id");
        JobFileException unknown = problem("""
                {"taskTemplate": {"idPattern": "f{i}", "commandLine": "x", "range": {"start": 1, "end": 2},
                                  "retries": 3}}
                """);
        assertThat(unknown.path()).hasToString("taskTemplate.retries");
        assertThat(unknown.line()).isEqualTo(2);
        assertThat(problem("""
                {"taskTemplate": {"idPattern": "f{i}", "commandLine": "x", "range": {"start": 1, "end": 2, "step": 2}}}
                """).path()).hasToString("taskTemplate.range.step");
    }

    @Test
    void aDuplicateKey_isAnError() {
        JobFileException bad = problem("""
                {"tasks": [{"id": "a", "commandLine": "x", "commandLine": "y"}]}
                """);
        assertThat(bad.problem()).contains("Duplicate field 'commandLine'");
        assertThat(bad.line()).isEqualTo(1);
    }

    @Test
    void readsAFileOrStandardInput(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        Path file = directory.resolve("job.json");
        Files.writeString(file, "{\"tasks\": [{\"id\": \"a\", \"commandLine\": \"x\"}]}");
        assertThat(JobFile.read(file.toString(), new ByteArrayInputStream(new byte[0])).tasks()).hasSize(1);
        assertThat(JobFile.read("-", new ByteArrayInputStream(Files.readAllBytes(file))).tasks()).hasSize(1);
        assertThatThrownBy(() -> JobFile.read(directory.resolve("missing.json").toString(),
                new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(JobFileException.class).hasMessageEndingWith("missing.json: no such file");
    }

    static Stream<Path> examples() throws IOException {
        Path examples = Path.of("..", "examples");
        try (Stream<Path> files = Files.list(examples)) {
            return files.filter(path -> path.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleReads(Path example) throws Exception {
        JobFile file = JobFile.read(example.toString(), new ByteArrayInputStream(new byte[0]));
        assertThat(file.tasks()).isNotEmpty();
        assertThat(Files.readString(Path.of("..", "examples", "README.md")))
                .as("examples/README.md describes it").contains(example.getFileName().toString());
    }

    @Test
    void theExamples_haveWhatTheirNamesPromise() throws Exception {
        JobFile tenThousand = JobFile.read("../examples/ten-thousand.json", new ByteArrayInputStream(new byte[0]));
        assertThat(tenThousand.tasks()).hasSize(10_000);
        assertThat(tenThousand.tasks().get(9_999).id()).isEqualTo("t10000");
        JobFile dependencies = JobFile.read("../examples/dependencies.json", new ByteArrayInputStream(new byte[0]));
        assertThat(dependencies.waves()).hasSize(4);
        JobFile transientFailures = JobFile.read("../examples/transient-failures.json",
                new ByteArrayInputStream(new byte[0]));
        assertThat(transientFailures.tasks()).allSatisfy(task ->
                assertThat(task.constraints().maxTaskRetryCount()).isEqualTo(3));
    }
}
