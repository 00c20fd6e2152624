package dev.rebatch.client;

import static dev.rebatch.client.BatchBodies.addCollectionAnswer;
import static dev.rebatch.client.BatchBodies.allAdded;
import static dev.rebatch.client.BatchBodies.clientError;
import static dev.rebatch.client.BatchBodies.serverError;
import static dev.rebatch.client.BatchBodies.success;
import static dev.rebatch.client.BatchBodies.taskIds;
import static dev.rebatch.client.FakeBatch.assertOneCall;
import static dev.rebatch.client.FakeBatch.assertSeparateCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.fake.ScriptedBatchEndpoint.RecordedRequest;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.Step;
import dev.rebatch.model.task.TaskAddCollection;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.retry.classify.Category;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskOperations#addTasks}: chunking into add-collection requests, halving what the service finds too large,
 * resending only the tasks that got a server error, and resolving TaskExists for a task an earlier attempt may have
 * added.
 */
class BulkTaskAddTest {

    private static final String ADD = "POST /jobs/job-1/addtaskcollection";
    /** One request at a time, so that the script's steps meet the requests in order. */
    private static final BulkAddOptions ONE_AT_A_TIME = BulkAddOptions.DEFAULTS.withParallelism(1);

    private FakeBatch batch;
    private BatchClient client;

    @BeforeEach
    void startEndpoint() {
        batch = FakeBatch.start();
        client = batch.client();
    }

    @AfterEach
    void closeEndpoint() {
        batch.close();
    }

    @Test
    void twoHundredFiftyTasksGoInThreeRequestsOfAtMostOneHundred() {
        List<TaskSpec> tasks = tasks(250);
        batch.then(allAdded(), allAdded(), allAdded());

        BulkAddResult result = client.tasks().addTasks("job-1", tasks); // default options: 4 requests at once

        assertThat(result.allAdded()).isTrue();
        assertThat(result.outcomes()).extracting(TaskAddOutcome::taskId)
                .containsExactlyElementsOf(tasks.stream().map(TaskSpec::id).toList());
        assertThat(result.outcomes()).noneMatch(TaskAddOutcome::confirmedByRead);
        // The requests run in parallel, so they arrive in any order: compare them by their first task.
        List<RecordedRequest> requests = batch.requests().stream()
                .sorted(Comparator.comparing(request -> taskIds(request).get(0))).toList();
        assertThat(requests).extracting(RecordedRequest::describe).containsOnly(ADD).hasSize(3);
        assertThat(requests.get(0).body()).isEqualTo(addCollectionBody(tasks.subList(0, 100)));
        assertThat(requests.get(1).body()).isEqualTo(addCollectionBody(tasks.subList(100, 200)));
        assertThat(requests.get(2).body()).isEqualTo(addCollectionBody(tasks.subList(200, 250)));
        assertSeparateCalls(requests.toArray(RecordedRequest[]::new));
        assertThat(batch.time.sleeps()).isEmpty();
    }

    @Test
    void requestsStayWithinTheByteLimitAndATaskTooLargeAloneFailsWithoutARequest() {
        // About 1 KB per task: 3 fit in 4 KiB. Task 4 alone is larger than a request may be.
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(TaskSpec.of(id(i), "echo " + "x".repeat(i == 4 ? 5000 : 1000)));
        }
        batch.endpoint.otherwise(request -> allAdded());

        BulkAddResult result = client.tasks().addTasks("job-1", tasks, ONE_AT_A_TIME.withMaxRequestBytes(4096));

        assertThat(batch.requests()).allSatisfy(request -> assertThat(request.bodyLength()).isLessThanOrEqualTo(4096));
        assertThat(batch.requests()).extracting(BatchBodies::taskIds).containsExactly(
                List.of(id(0), id(1), id(2)), List.of(id(3), id(5), id(6)), List.of(id(7)));
        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.taskId()).isEqualTo(id(4));
            assertThat(failure.errorCode()).isEqualTo("RequestBodyTooLarge");
            assertThat(failure.message()).contains("one request may carry at most 4096");
        });
        assertThat(result.addedCount()).isEqualTo(7);
    }

    @Test
    void requestBodyTooLargeHalvesTheChunkWithoutWaiting() {
        List<TaskSpec> tasks = tasks(10);
        batch.then(requestBodyTooLarge(), allAdded(), allAdded());

        BulkAddResult result = client.tasks().addTasks("job-1", tasks, ONE_AT_A_TIME);

        assertThat(result.allAdded()).isTrue();
        List<RecordedRequest> requests = batch.requests();
        assertThat(requests).extracting(BatchBodies::taskIds).containsExactly(
                ids(0, 10), ids(0, 5), ids(5, 10));
        // Each half is a request of its own; 413 is not retried, so nothing waited.
        assertSeparateCalls(requests.toArray(RecordedRequest[]::new));
        assertThat(batch.time.sleeps()).isEmpty();
    }

    @Test
    void aSingleTaskTheServiceFindsTooLargeFailsWithThatCode() {
        batch.then(requestBodyTooLarge(), requestBodyTooLarge(), allAdded());

        BulkAddResult result = client.tasks().addTasks("job-1", tasks(2), ONE_AT_A_TIME);

        assertThat(batch.requests()).extracting(BatchBodies::taskIds).containsExactly(ids(0, 2), ids(0, 1), ids(1, 2));
        assertThat(result.outcomes().get(0).added()).isFalse();
        assertThat(result.outcomes().get(0).errorCode()).isEqualTo("RequestBodyTooLarge");
        assertThat(result.outcomes().get(1).added()).isTrue();
    }

    @Test
    void serverErrorEntriesAreResentAloneAfterABackoffAndThenSucceed() {
        batch.then(addCollectionAnswer(id -> id.equals(id(1)) || id.equals(id(3))
                        ? serverError(id, "InternalError", "Server encountered an internal error.") : success(id)),
                allAdded());

        BulkAddResult result = client.tasks().addTasks("job-1", tasks(5), ONE_AT_A_TIME);

        assertThat(result.allAdded()).isTrue();
        assertThat(result.outcomes()).noneMatch(TaskAddOutcome::confirmedByRead);
        List<RecordedRequest> requests = batch.requests();
        assertThat(requests).extracting(BatchBodies::taskIds).containsExactly(ids(0, 5), List.of(id(1), id(3)));
        assertOneCall(requests); // one chunk, one operation
        assertThat(batch.retries()).singleElement().satisfies(retry -> {
            assertThat(retry.outcome().category()).isEqualTo(Category.SERVER);
            assertThat(retry.outcome().errorCode()).isEqualTo("InternalError");
        });
        batch.assertBackoffWithinPolicy(batch.retries());
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void persistentServerErrorEntriesEndAfterTheRetriesWithEachTasksOwnError() {
        Step task1Fails = addCollectionAnswer(id -> id.equals(id(1))
                ? serverError(id, "OperationTimedOut", "Operation could not be completed within the specified time.")
                : success(id));
        batch.then(task1Fails, task1Fails, task1Fails, task1Fails);

        BulkAddResult result = client.tasks().addTasks("job-1", tasks(3), ONE_AT_A_TIME);

        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.taskId()).isEqualTo(id(1));
            assertThat(failure.errorCode()).isEqualTo("OperationTimedOut");
            assertThat(failure.message()).contains("Operation could not be completed within the specified time.",
                    "RETRIES_EXHAUSTED after 4 attempts");
        });
        assertThat(result.addedCount()).isEqualTo(2);
        List<RecordedRequest> requests = batch.requests();
        assertThat(requests).extracting(BatchBodies::taskIds).containsExactly(
                ids(0, 3), List.of(id(1)), List.of(id(1)), List.of(id(1)));
        assertOneCall(requests);
        assertThat(batch.retries()).hasSize(3);
        batch.assertBackoffWithinPolicy(batch.retries());
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void taskExistsForATaskThatEarlierGotServerErrorIsConfirmedByReadingIt() {
        List<TaskSpec> tasks = tasks(3);
        batch.then(
                addCollectionAnswer(id -> id.equals(id(1)) ? serverError(id, "InternalError", "Try again.")
                        : success(id)),
                addCollectionAnswer(id -> clientError(id, "TaskExists", "The specified task already exists.")),
                Step.ok(200, BatchBodies.task(tasks.get(1), "active")));

        BulkAddResult result = client.tasks().addTasks("job-1", tasks, ONE_AT_A_TIME);

        assertThat(result.allAdded()).isTrue();
        assertThat(result.outcomes()).extracting(TaskAddOutcome::confirmedByRead).containsExactly(false, true, false);
        List<RecordedRequest> requests = batch.requests();
        assertThat(requests).extracting(RecordedRequest::describe)
                .containsExactly(ADD, ADD, "GET /jobs/job-1/tasks/" + id(1));
        assertOneCall(requests.subList(0, 2));
        assertSeparateCalls(requests.get(1), requests.get(2));
    }

    @Test
    void taskExistsForATaskThatEarlierGotServerErrorButDiffersIsReportedWithTheDifferences() {
        List<TaskSpec> tasks = tasks(2);
        batch.then(
                addCollectionAnswer(id -> serverError(id, "InternalError", "Try again.")),
                addCollectionAnswer(id -> id.equals(id(0)) ? success(id)
                        : clientError(id, "TaskExists", "The specified task already exists.")),
                Step.ok(200, BatchBodies.task(TaskSpec.of(id(1), "echo someone else"), "active")));

        BulkAddResult result = client.tasks().addTasks("job-1", tasks, ONE_AT_A_TIME);

        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.taskId()).isEqualTo(id(1));
            assertThat(failure.errorCode()).isEqualTo("TaskExists");
            assertThat(failure.message()).contains("exists and differs",
                    "commandLine: sent \"echo 1\", found \"echo someone else\"");
        });
        assertThat(batch.requestLines()).containsExactly(ADD, ADD, "GET /jobs/job-1/tasks/" + id(1));
    }

    @Test
    void taskExistsWithoutAnEarlierUnknownOutcomeIsReportedAsItIsWithoutReading() {
        batch.then(addCollectionAnswer(id -> id.equals(id(0))
                ? clientError(id, "TaskExists", "The specified task already exists.") : success(id)));

        BulkAddResult result = client.tasks().addTasks("job-1", tasks(2), ONE_AT_A_TIME);

        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.taskId()).isEqualTo(id(0));
            assertThat(failure.errorCode()).isEqualTo("TaskExists");
            assertThat(failure.message()).isEqualTo("The specified task already exists.");
            assertThat(failure.confirmedByRead()).isFalse();
        });
        assertThat(batch.requestLines()).containsExactly(ADD);
        assertThat(batch.time.sleeps()).isEmpty();
    }

    @Test
    void aLostResponseFollowedByTaskExistsForEveryTaskIsConfirmedByReadingEach() {
        List<TaskSpec> tasks = tasks(2);
        batch.then(Step.dropAfterApplying(),
                addCollectionAnswer(id -> clientError(id, "TaskExists", "The specified task already exists.")),
                Step.ok(200, BatchBodies.task(tasks.get(0), "active")),
                Step.ok(200, BatchBodies.task(tasks.get(1), "completed")));

        BulkAddResult result = client.tasks().addTasks("job-1", tasks, ONE_AT_A_TIME);

        assertThat(result.allAdded()).isTrue();
        assertThat(result.outcomes()).allMatch(TaskAddOutcome::confirmedByRead);
        assertThat(batch.requestLines()).containsExactly(ADD, ADD,
                "GET /jobs/job-1/tasks/" + id(0), "GET /jobs/job-1/tasks/" + id(1));
        assertOneCall(batch.requests().subList(0, 2));
    }

    private static Step requestBodyTooLarge() {
        return Step.error(413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum "
                + "permissible limit.");
    }

    private static String addCollectionBody(List<TaskSpec> tasks) {
        return BatchBodies.write(new TaskAddCollection(tasks));
    }

    private static List<TaskSpec> tasks(int count) {
        return IntStream.range(0, count).mapToObj(i -> TaskSpec.of(id(i), "echo " + i)).toList();
    }

    private static String id(int i) {
        return String.format("task-%03d", i);
    }

    private static List<String> ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(BulkTaskAddTest::id).toList();
    }
}
