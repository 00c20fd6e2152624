package dev.rebatch.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.protocol.models.BatchErrorException;
import com.microsoft.azure.batch.protocol.models.CloudTask;
import com.microsoft.azure.batch.protocol.models.DependencyAction;
import com.microsoft.azure.batch.protocol.models.ErrorCategory;
import com.microsoft.azure.batch.protocol.models.ExitCodeMapping;
import com.microsoft.azure.batch.protocol.models.ExitCodeRangeMapping;
import com.microsoft.azure.batch.protocol.models.ExitConditions;
import com.microsoft.azure.batch.protocol.models.ExitOptions;
import com.microsoft.azure.batch.protocol.models.JobAction;
import com.microsoft.azure.batch.protocol.models.JobAddParameter;
import com.microsoft.azure.batch.protocol.models.OnTaskFailure;
import com.microsoft.azure.batch.protocol.models.PoolInformation;
import com.microsoft.azure.batch.protocol.models.TaskAddParameter;
import com.microsoft.azure.batch.protocol.models.TaskCounts;
import com.microsoft.azure.batch.protocol.models.TaskDependencies;
import com.microsoft.azure.batch.protocol.models.TaskExecutionResult;
import com.microsoft.azure.batch.protocol.models.TaskIdRange;
import com.microsoft.azure.batch.protocol.models.TaskState;
import dev.rebatch.server.TestService;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Task operations through the official Java SDK, unchanged, against the running service. */
class OfficialJavaSdkTasksTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final BatchClient batch = service.officialClient();

    private static void newJob(String jobId) throws Exception {
        batch.jobOperations().createJob(jobId, new PoolInformation().withPoolId("pool-1"));
    }

    private static TaskAddParameter task(String id) {
        return new TaskAddParameter().withId(id).withCommandLine("/bin/echo " + id);
    }

    @Test
    void addGetAndListTasks() throws Exception {
        newJob("tasks-basic");
        batch.taskOperations().createTask("tasks-basic", task("Task-1"));

        CloudTask task = batch.taskOperations().getTask("tasks-basic", "task-1");

        assertThat(task.id()).isEqualTo("Task-1");
        assertThat(task.commandLine()).isEqualTo("/bin/echo Task-1");
        assertThat(task.state()).isEqualTo(TaskState.ACTIVE);
        assertThat(task.executionInfo().retryCount()).isZero();
        assertThat(batch.taskOperations().listTasks("tasks-basic")).extracting(CloudTask::id).containsExactly("Task-1");
    }

    /**
     * 1,000 tasks through the SDK's createTasks, in calls of 100. One call with more than 100 tasks can hang
     * inside azure-batch 11.2.0 itself: its createTasks waits for a notification from a worker thread and then
     * checks whether that thread has TERMINATED; when the worker has notified but not yet ended, the check
     * misses it and the caller waits forever (TaskOperations.createTasks). A fast local service hits that race
     * often; chunks of at most 100 never wait a second time. docs/compatibility.md records this.
     */
    @Test
    void aThousandTasksThroughCreateTasksArriveOnceEach() throws Exception {
        newJob("tasks-bulk");
        for (int chunk = 0; chunk < 10; chunk++) {
            List<TaskAddParameter> tasks = new ArrayList<>();
            int first = chunk * 100;
            IntStream.range(first, first + 100).forEach(i -> tasks.add(task(String.format("t%04d", i))));
            batch.taskOperations().createTasks("tasks-bulk", tasks);
        }

        List<CloudTask> listed = batch.taskOperations().listTasks("tasks-bulk");
        assertThat(listed).hasSize(1000);
        assertThat(listed).extracting(CloudTask::id).doesNotHaveDuplicates();
        TaskCounts counts = batch.jobOperations().getTaskCounts("tasks-bulk");
        assertThat(counts.active()).isEqualTo(1000);
        assertThat(counts.completed()).isZero();
    }

    @Test
    void aCreateTasksRetriedAfterALostResponseTreatsTheExistingTasksAsAdded() throws Exception {
        newJob("tasks-again");
        List<TaskAddParameter> tasks = new ArrayList<>();
        IntStream.range(0, 50).forEach(i -> tasks.add(task("again-" + i)));
        batch.taskOperations().createTasks("tasks-again", tasks);

        // The same collection again, as a client whose response was lost would send it: TaskExists per task,
        // which the SDK counts as success, and nothing is added twice.
        batch.taskOperations().createTasks("tasks-again", tasks);

        assertThat(batch.taskOperations().listTasks("tasks-again")).hasSize(50);
    }

    @Test
    void aSecondTaskWithTheSameIdIsTaskExists() throws Exception {
        newJob("tasks-twice");
        batch.taskOperations().createTask("tasks-twice", task("same"));

        assertThatThrownBy(() -> batch.taskOperations().createTask("tasks-twice", task("SAME")))
                .isInstanceOfSatisfying(BatchErrorException.class, error -> {
                    assertThat(error.response().code()).isEqualTo(409);
                    assertThat(error.body().code()).isEqualTo("TaskExists");
                });
    }

    @Test
    void addingATaskToATerminatedJobIsRefused() throws Exception {
        newJob("tasks-closed");
        batch.jobOperations().terminateJob("tasks-closed", "closed for new work");

        assertThatThrownBy(() -> batch.taskOperations().createTask("tasks-closed", task("late")))
                .isInstanceOfSatisfying(BatchErrorException.class, error -> {
                    assertThat(error.response().code()).isEqualTo(409);
                    assertThat(error.body().code()).isEqualTo("JobCompleted");
                });
    }

    @Test
    void terminatingAJobEndsItsTasks() throws Exception {
        newJob("tasks-ended-with-job");
        batch.taskOperations().createTask("tasks-ended-with-job", task("one"));
        batch.taskOperations().createTask("tasks-ended-with-job", task("two"));
        batch.taskOperations().terminateTask("tasks-ended-with-job", "two");

        batch.jobOperations().terminateJob("tasks-ended-with-job", "no more work");

        assertThat(batch.taskOperations().listTasks("tasks-ended-with-job"))
                .extracting(CloudTask::state).containsOnly(TaskState.COMPLETED);
        TaskCounts counts = batch.jobOperations().getTaskCounts("tasks-ended-with-job");
        assertThat(counts.active()).isZero();
        assertThat(counts.completed()).isEqualTo(2);
        assertThat(counts.failed()).isEqualTo(2);
        assertThat(batch.taskOperations().getTask("tasks-ended-with-job", "one").executionInfo().failureInfo().code())
                .isEqualTo("TaskEnded");
    }

    @Test
    void aTerminatedTaskFailedWithTaskEnded() throws Exception {
        newJob("tasks-ended");
        batch.taskOperations().createTask("tasks-ended", task("ended"));

        batch.taskOperations().terminateTask("tasks-ended", "ended");

        CloudTask task = batch.taskOperations().getTask("tasks-ended", "ended");
        assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(task.executionInfo().result()).isEqualTo(TaskExecutionResult.FAILURE);
        assertThat(task.executionInfo().exitCode()).isNull();
        assertThat(task.executionInfo().endTime()).isNotNull();
        assertThat(task.executionInfo().failureInfo().category()).isEqualTo(ErrorCategory.USER_ERROR);
        assertThat(task.executionInfo().failureInfo().code()).isEqualTo("TaskEnded");
        assertThat(batch.jobOperations().getTaskCounts("tasks-ended").failed()).isEqualTo(1);
    }

    @Test
    void aTerminatedTaskCanBeReactivatedButAnActiveOneCannot() throws Exception {
        newJob("tasks-reactivate");
        batch.taskOperations().createTask("tasks-reactivate", task("again"));
        assertThatThrownBy(() -> batch.taskOperations().reactivateTask("tasks-reactivate", "again"))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        error -> assertThat(error.body().code()).isEqualTo("TaskNotCompleted"));

        batch.taskOperations().terminateTask("tasks-reactivate", "again");
        batch.taskOperations().reactivateTask("tasks-reactivate", "again");

        CloudTask task = batch.taskOperations().getTask("tasks-reactivate", "again");
        assertThat(task.state()).isEqualTo(TaskState.ACTIVE);
        assertThat(task.previousState()).isEqualTo(TaskState.COMPLETED);
        assertThat(task.executionInfo().retryCount()).isZero();
        assertThat(task.executionInfo().endTime()).isNull();
        assertThat(task.executionInfo().failureInfo()).isNull();
        assertThat(task.executionInfo().result()).isNull();
    }

    @Test
    void terminatingACompletedTaskIsTaskCompleted() throws Exception {
        newJob("tasks-terminate");
        batch.taskOperations().createTask("tasks-terminate", task("stop-me"));

        batch.taskOperations().terminateTask("tasks-terminate", "stop-me");
        assertThat(batch.taskOperations().getTask("tasks-terminate", "stop-me").state()).isEqualTo(TaskState.COMPLETED);

        assertThatThrownBy(() -> batch.taskOperations().terminateTask("tasks-terminate", "stop-me"))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        error -> assertThat(error.body().code()).isEqualTo("TaskCompleted"));
    }

    @Test
    void dependenciesAndExitConditionsAsTheSdkSendsThemAreAcceptedAndReturned() throws Exception {
        batch.jobOperations().createJob(new JobAddParameter().withId("tasks-rules")
                .withPoolInfo(new PoolInformation().withPoolId("pool-1")).withUsesTaskDependencies(true)
                .withOnTaskFailure(OnTaskFailure.PERFORM_EXIT_OPTIONS_JOB_ACTION));
        TaskAddParameter dependent = task("dependent")
                .withDependsOn(new TaskDependencies().withTaskIds(List.of("parent"))
                        .withTaskIdRanges(List.of(new TaskIdRange().withStart(1).withEnd(10))))
                .withExitConditions(new ExitConditions()
                        .withExitCodes(List.of(new ExitCodeMapping().withCode(3)
                                .withExitOptions(new ExitOptions().withJobAction(JobAction.DISABLE))))
                        .withExitCodeRanges(List.of(new ExitCodeRangeMapping().withStart(4).withEnd(9)
                                .withExitOptions(new ExitOptions().withDependencyAction(DependencyAction.SATISFY))))
                        .withPreProcessingError(new ExitOptions().withJobAction(JobAction.NONE))
                        .withDefaultProperty(new ExitOptions().withJobAction(JobAction.TERMINATE)
                                .withDependencyAction(DependencyAction.BLOCK)));

        batch.taskOperations().createTask("tasks-rules", dependent);

        CloudTask stored = batch.taskOperations().getTask("tasks-rules", "dependent");
        assertThat(stored.dependsOn().taskIds()).containsExactly("parent");
        assertThat(stored.dependsOn().taskIdRanges().get(0).end()).isEqualTo(10);
        assertThat(stored.exitConditions().exitCodes().get(0).exitOptions().jobAction()).isEqualTo(JobAction.DISABLE);
        assertThat(stored.exitConditions().exitCodeRanges().get(0).exitOptions().dependencyAction())
                .isEqualTo(DependencyAction.SATISFY);
        assertThat(stored.exitConditions().defaultProperty().jobAction()).isEqualTo(JobAction.TERMINATE);
    }

    @Test
    void aJobActionInAJobWithoutOnTaskFailureIsInvalidPropertyValue() throws Exception {
        newJob("tasks-no-job-actions");
        TaskAddParameter acting = task("acting").withExitConditions(
                new ExitConditions().withDefaultProperty(new ExitOptions().withJobAction(JobAction.TERMINATE)));

        assertThatThrownBy(() -> batch.taskOperations().createTask("tasks-no-job-actions", acting))
                .isInstanceOfSatisfying(BatchErrorException.class, error -> {
                    assertThat(error.response().code()).isEqualTo(400);
                    assertThat(error.body().code()).isEqualTo("InvalidPropertyValue");
                });
    }

    @Test
    void aTaskOfAMissingJobIsJobNotFoundAndAMissingTaskTaskNotFound() throws Exception {
        assertThatThrownBy(() -> batch.taskOperations().createTask("no-such-job", task("orphan")))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        error -> assertThat(error.body().code()).isEqualTo("JobNotFound"));
        newJob("tasks-missing");
        assertThatThrownBy(() -> batch.taskOperations().getTask("tasks-missing", "ghost"))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        error -> assertThat(error.body().code()).isEqualTo("TaskNotFound"));
    }

    @Test
    void deletedTasksAreGone() throws Exception {
        newJob("tasks-delete");
        batch.taskOperations().createTask("tasks-delete", task("temp"));

        batch.taskOperations().deleteTask("tasks-delete", "temp");

        assertThat(batch.taskOperations().listTasks("tasks-delete")).isEmpty();
    }
}
