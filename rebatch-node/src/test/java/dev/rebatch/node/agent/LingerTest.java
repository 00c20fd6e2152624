package dev.rebatch.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * When a batch of completion reports stops waiting. The waits that must end early are given a linger far longer than
 * the test may take, so a wait that does not end early fails it instead of passing slowly.
 */
class LingerTest {

    private static final Duration LONG = Duration.ofMinutes(10);
    private static final Duration TEST_LIMIT = Duration.ofSeconds(20);

    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final List<String> batch = new ArrayList<>(List.of("first"));

    @Test
    void withNothingElseRunningWhatIsQueuedGoesAtOnce() {
        queue.addAll(List.of("a", "b"));

        assertTimeoutPreemptively(TEST_LIMIT, () -> new Linger(LONG, 100).gather(queue, batch, () -> false));

        assertThat(batch).containsExactly("first", "a", "b");
        assertThat(queue).isEmpty();
    }

    @Test
    void aFullBatchGoesAtOnceAndLeavesTheRestForTheNext() {
        IntStream.range(0, 10).forEach(i -> queue.add("r" + i));

        assertTimeoutPreemptively(TEST_LIMIT, () -> new Linger(LONG, 4).gather(queue, batch, () -> true));

        assertThat(batch).containsExactly("first", "r0", "r1", "r2");
        assertThat(queue).hasSize(7).first().isEqualTo("r3");
    }

    @Test
    void whileOthersRunTheirReportsJoinAndTheLastOneEndsTheWait() throws Exception {
        AtomicBoolean othersRunning = new AtomicBoolean(true);
        Thread gathering = Thread.ofVirtual().start(() -> {
            try {
                new Linger(LONG, 100).gather(queue, batch, othersRunning::get);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitWaiting(gathering);
        queue.add("second");
        awaitWaiting(gathering);
        // The last process ends, then its report comes: as in the agent, which marks the process gone first.
        othersRunning.set(false);
        queue.add("last");

        assertThat(gathering.join(TEST_LIMIT)).as("the wait ended").isTrue();
        assertThat(batch).containsExactly("first", "second", "last");
    }

    /** Until {@code thread} waits in the queue with nothing queued (it took what there was). */
    private void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TEST_LIMIT.toNanos();
        while (!(queue.isEmpty() && thread.getState() == Thread.State.TIMED_WAITING)) {
            assertThat(System.nanoTime()).as("the gathering thread waits").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void theWaitEndsAfterTheLingerEvenWhileOthersStillRun() throws Exception {
        new Linger(Duration.ofMillis(20), 100).gather(queue, batch, () -> true);

        assertThat(batch).containsExactly("first");
    }
}
