package dev.rebatch.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.common.ErrorCategory;
import dev.rebatch.model.common.ListPage;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.JobDisable;
import dev.rebatch.model.job.JobPatch;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.JobState;
import dev.rebatch.model.job.JobTerminate;
import dev.rebatch.model.job.OnAllTasksComplete;
import dev.rebatch.model.job.OnTaskFailure;
import dev.rebatch.model.job.TaskCountsResult;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.model.node.ComputeNodeRebootOption;
import dev.rebatch.model.node.ComputeNodeState;
import dev.rebatch.model.node.NodeDisableScheduling;
import dev.rebatch.model.node.NodeFile;
import dev.rebatch.model.node.NodeReboot;
import dev.rebatch.model.pool.AllocationState;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.ComputeNodeDeallocationOption;
import dev.rebatch.model.pool.PoolNodeCounts;
import dev.rebatch.model.pool.PoolPatch;
import dev.rebatch.model.pool.PoolResize;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.CloudTaskListSubtasksResult;
import dev.rebatch.model.task.DependencyAction;
import dev.rebatch.model.task.JobAction;
import dev.rebatch.model.task.TaskAddCollection;
import dev.rebatch.model.task.TaskAddCollectionResult;
import dev.rebatch.model.task.TaskAddStatus;
import dev.rebatch.model.task.TaskExecutionResult;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.model.task.TaskState;
import dev.rebatch.model.task.TaskUpdate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each top-level body read from and written back to its exact wire shape (src/test/resources/wire/*.json). */
class WireRoundTripTest {

    private static final ObjectMapper JSON = BatchJson.mapper();

    static Stream<Arguments> examples() {
        return Stream.of(
                arguments("pool-add.json", type(PoolSpec.class)),
                arguments("pool-get.json", type(CloudPool.class)),
                arguments("pool-patch.json", type(PoolPatch.class)),
                arguments("pool-resize.json", type(PoolResize.class)),
                arguments("pool-node-counts.json", BatchJson.listPageOf(PoolNodeCounts.class)),
                arguments("job-add.json", type(JobSpec.class)),
                arguments("job-get.json", type(CloudJob.class)),
                arguments("jobs-list.json", BatchJson.listPageOf(CloudJob.class)),
                arguments("job-patch.json", type(JobPatch.class)),
                arguments("job-disable.json", type(JobDisable.class)),
                arguments("job-terminate.json", type(JobTerminate.class)),
                arguments("task-counts.json", type(TaskCountsResult.class)),
                arguments("task-add.json", type(TaskSpec.class)),
                arguments("task-get.json", type(CloudTask.class)),
                arguments("task-update.json", type(TaskUpdate.class)),
                arguments("task-add-collection.json", type(TaskAddCollection.class)),
                arguments("task-add-collection-result.json", type(TaskAddCollectionResult.class)),
                arguments("task-subtasks.json", type(CloudTaskListSubtasksResult.class)),
                arguments("node-get.json", type(ComputeNode.class)),
                arguments("node-files.json", BatchJson.listPageOf(NodeFile.class)),
                arguments("node-disable-scheduling.json", type(NodeDisableScheduling.class)),
                arguments("node-reboot.json", type(NodeReboot.class)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void readsAndWritesBackTheExactWireShape(String example, JavaType type) throws IOException {
        String body = resource(example);

        Object value = JSON.readValue(body, type);
        String written = JSON.writeValueAsString(value);

        assertThat(value).isInstanceOf(type.getRawClass());
        assertThat(JSON.readTree(written)).as("%s written back", example).isEqualTo(JSON.readTree(body));
        assertThat(JSON.<Object>readValue(written, type)).isEqualTo(value);
    }

    @Test
    void readsTheValuesOfAPool() throws IOException {
        CloudPool pool = read("pool-get.json", CloudPool.class);

        assertThat(pool.allocationState()).isEqualTo(AllocationState.RESIZING);
        assertThat(pool.autoScaleEvaluationInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(pool.lastModified()).isEqualTo(Instant.parse("2024-07-01T10:15:30.123Z"));
        assertThat(pool.resizeErrors().get(0).values().get(0).name()).isEqualTo("Reason");
        assertThat(pool.virtualMachineConfiguration().imageReference().virtualMachineImageId()).endsWith("/images/img");
        assertThat(read("pool-resize.json", PoolResize.class).nodeDeallocationOption())
                .isEqualTo(ComputeNodeDeallocationOption.TASK_COMPLETION);
    }

    @Test
    void readsTheValuesOfAJob() throws IOException {
        CloudJob job = read("job-get.json", CloudJob.class);

        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.previousState()).isEqualTo(JobState.TERMINATING);
        assertThat(job.constraints().maxWallClockTime()).isEqualTo(Duration.ofHours(2));
        assertThat(job.executionInfo().schedulingError().category()).isEqualTo(ErrorCategory.USER_ERROR);
        assertThat(job.onAllTasksComplete()).isEqualTo(OnAllTasksComplete.NO_ACTION);
        assertThat(read("job-add.json", JobSpec.class).onTaskFailure())
                .isEqualTo(OnTaskFailure.PERFORM_EXIT_OPTIONS_JOB_ACTION);
    }

    @Test
    void readsTheValuesOfATask() throws IOException {
        TaskSpec spec = read("task-add.json", TaskSpec.class);
        CloudTask task = read("task-get.json", CloudTask.class);

        assertThat(spec.exitConditions().defaultOptions().jobAction()).isEqualTo(JobAction.TERMINATE);
        assertThat(spec.exitConditions().defaultOptions().dependencyAction()).isEqualTo(DependencyAction.BLOCK);
        assertThat(spec.exitConditions().exitCodeRanges().get(0).end()).isEqualTo(20);
        assertThat(spec.constraints().retentionTime()).isEqualTo(Duration.ofDays(7));
        assertThat(spec.dependsOn().taskIdRanges().get(0).start()).isEqualTo(1);
        assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(task.executionInfo().result()).isEqualTo(TaskExecutionResult.FAILURE);
        assertThat(task.executionInfo().retryCount()).isEqualTo(2);
        assertThat(task.executionInfo().failureInfo().code()).isEqualTo("FailureExitCode");
        assertThat(task.nodeInfo().nodeId()).isEqualTo("tvm-1_1");
    }

    @Test
    void readsTheOutcomeOfAnAddCollection() throws IOException {
        TaskAddCollectionResult result = read("task-add-collection-result.json", TaskAddCollectionResult.class);

        assertThat(result.value()).extracting(r -> r.status()).containsExactly(TaskAddStatus.SUCCESS,
                TaskAddStatus.CLIENT_ERROR, TaskAddStatus.SERVER_ERROR);
        assertThat(result.value().get(0).lastModified()).isEqualTo(Instant.parse("2016-09-06T07:02:44.758Z"));
        assertThat(result.value().get(1).error().code()).isEqualTo("TaskExists");
        assertThat(result.value().get(1).error().message().value()).startsWith("The specified task already exists.");
    }

    @Test
    void readsTheValuesOfANodeAndItsFiles() throws IOException {
        ComputeNode node = read("node-get.json", ComputeNode.class);
        ListPage<NodeFile> files = JSON.readValue(resource("node-files.json"), BatchJson.listPageOf(NodeFile.class));

        assertThat(node.state()).isEqualTo(ComputeNodeState.RUNNING);
        assertThat(node.isDedicated()).isTrue();
        assertThat(node.recentTasks().get(0).taskState()).isEqualTo(TaskState.RUNNING);
        assertThat(node.errors().get(0).errorDetails().get(0).value()).isEqualTo("1024");
        assertThat(files.value().get(0).properties().contentLength()).isEqualTo(5_368_709_120L);
        assertThat(files.value().get(1).isDirectory()).isTrue();
        assertThat(files.nextLink()).endsWith("$skiptoken=abc");
        assertThat(read("node-reboot.json", NodeReboot.class).nodeRebootOption())
                .isEqualTo(ComputeNodeRebootOption.RETAINED_DATA);
    }

    private static JavaType type(Class<?> type) {
        return JSON.constructType(type);
    }

    private static <T> T read(String example, Class<T> type) throws IOException {
        return JSON.readValue(resource(example), type);
    }

    static String resource(String example) throws IOException {
        try (InputStream in = WireRoundTripTest.class.getResourceAsStream("/wire/" + example)) {
            assertThat(in).as("test resource wire/%s", example).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
