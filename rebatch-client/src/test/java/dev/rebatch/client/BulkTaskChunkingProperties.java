package dev.rebatch.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.BulkTaskAdd.PendingTask;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.task.TaskAddCollection;
import dev.rebatch.model.task.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link BulkTaskAdd#chunks}: for any tasks and limits, every request stays within both limits, the tasks keep
 * their order, each task is in exactly one request (or, when too large to send even alone, fails without one), and
 * no request ends before it had to.
 */
class BulkTaskChunkingProperties {

    @Property(tries = 200)
    void everyChunkFitsBothLimitsKeepsTheOrderAndHoldsEachTaskOnce(
            @ForAll("commandLines") List<String> commandLines,
            @ForAll @IntRange(min = 1, max = 100) int maxTasks,
            @ForAll @IntRange(min = 1024, max = 64 * 1024) int maxBytes) throws Exception {
        List<PendingTask> tasks = new ArrayList<>();
        for (int i = 0; i < commandLines.size(); i++) {
            TaskSpec spec = TaskSpec.of("task-" + i, commandLines.get(i));
            tasks.add(new PendingTask(i, spec, BatchJson.mapper().writeValueAsBytes(spec)));
        }
        BulkAddOptions options = BulkAddOptions.DEFAULTS.withMaxTasksPerRequest(maxTasks).withMaxRequestBytes(maxBytes);
        AtomicReferenceArray<TaskAddOutcome> outcomes = new AtomicReferenceArray<>(tasks.size());

        List<List<PendingTask>> chunks = BulkTaskAdd.chunks(tasks, options, outcomes);

        List<Integer> sent = new ArrayList<>();
        for (List<PendingTask> chunk : chunks) {
            assertThat(chunk).isNotEmpty().hasSizeLessThanOrEqualTo(maxTasks);
            assertThat(bodyBytes(chunk)).isLessThanOrEqualTo(maxBytes);
            chunk.forEach(task -> sent.add(task.index()));
        }
        assertThat(sent).as("order preserved, no task twice").isSorted().doesNotHaveDuplicates();
        Set<Integer> inARequest = new HashSet<>(sent);
        for (PendingTask task : tasks) {
            boolean tooLargeAlone = bodyBytes(List.of(task)) > maxBytes;
            TaskAddOutcome outcome = outcomes.get(task.index());
            if (tooLargeAlone) {
                assertThat(inARequest).doesNotContain(task.index());
                assertThat(outcome.added()).isFalse();
                assertThat(outcome.errorCode()).isEqualTo("RequestBodyTooLarge");
            } else {
                assertThat(inARequest).contains(task.index());
                assertThat(outcome).as("decided by the service, not here").isNull();
            }
        }
        // Greedy: a request ends only when the next task would break a limit, so no request is wasted.
        for (int i = 0; i + 1 < chunks.size(); i++) {
            List<PendingTask> withNext = new ArrayList<>(chunks.get(i));
            withNext.add(chunks.get(i + 1).get(0));
            assertThat(withNext.size() > maxTasks || bodyBytes(withNext) > maxBytes)
                    .as("request %d could have taken the next task", i).isTrue();
        }
    }

    /** Up to 250 command lines of up to 2500 characters, with multi-byte and escaped characters. */
    @Provide
    Arbitrary<List<String>> commandLines() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '"', '\\', 'é', '✓', '\n')
                .ofMinLength(1).ofMaxLength(2500)
                .list().ofMaxSize(250);
    }

    /**
     * The size of the request body for these tasks, as Jackson writes a TaskAddCollection: an oracle independent
     * of how BulkTaskAdd concatenates the tasks' JSON.
     */
    private static int bodyBytes(List<PendingTask> chunk) {
        try {
            String body = BatchJson.mapper().writeValueAsString(
                    new TaskAddCollection(chunk.stream().map(PendingTask::spec).toList()));
            return body.getBytes(StandardCharsets.UTF_8).length;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
