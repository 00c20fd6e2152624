package dev.rebatch.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The start-report sweep's queue: what it hands out, when, and only once (times are a test's clock, in nanos). */
class LaunchOrderTest {

    private static final long DELAY = 100;

    @Test
    void handsOutOnlyTheItemsThatWaitedTheDelayInTheOrderTheyCame() {
        LaunchOrder<String> order = new LaunchOrder<>();
        order.add("a", 0);
        order.add("b", 50);
        order.add("c", 120);

        assertThat(order.takeDue(99, DELAY)).isEmpty();
        assertThat(order.takeDue(150, DELAY)).containsExactly("a", "b");
        assertThat(order.takeDue(150, DELAY)).as("each once").isEmpty();
        assertThat(order.takeDue(220, DELAY)).containsExactly("c");
        assertThat(order.size()).isZero();
    }

    /**
     * Whatever the gaps between adds and between sweeps: every item comes out exactly once, in the order added, at the
     * first sweep at least the delay after it was added.
     */
    @Property
    void everyItemComesOutOnceAtTheFirstSweepItIsDueAt(
            @ForAll @Size(max = 50) List<@IntRange(min = 0, max = 80) Integer> addGaps,
            @ForAll @Size(min = 1, max = 50) List<@IntRange(min = 1, max = 120) Integer> sweepGaps) {
        LaunchOrder<Integer> order = new LaunchOrder<>();
        List<Long> addedAt = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < addGaps.size(); i++) {
            t += addGaps.get(i);
            order.add(i, t);
            addedAt.add(t);
        }
        List<Integer> out = new ArrayList<>();
        long previousSweep = Long.MIN_VALUE;
        long now = 0;
        for (int gap : sweepGaps) {
            now += gap;
            for (int item : order.takeDue(now, DELAY)) {
                long dueAt = addedAt.get(item) + DELAY;
                assertThat(dueAt).as("item %d is due by this sweep", item).isLessThanOrEqualTo(now);
                assertThat(dueAt).as("item %d was not due at the sweep before", item).isGreaterThan(previousSweep);
                out.add(item);
            }
            previousSweep = now;
        }
        long lastSweep = now;
        List<Integer> expected = IntStream.range(0, addedAt.size())
                .filter(i -> addedAt.get(i) + DELAY <= lastSweep).boxed().toList();
        assertThat(out).isEqualTo(expected);
        assertThat(order.size()).isEqualTo(addedAt.size() - expected.size());
    }

    @Test
    void sweepsSideBySideNeverHandOutAnItemTwice() throws InterruptedException {
        LaunchOrder<Integer> order = new LaunchOrder<>();
        int items = 20_000;
        for (int i = 0; i < items; i++) {
            order.add(i, 0);
        }
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        List<Integer> duplicates = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> sweepers = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            sweepers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int item : order.takeDue(DELAY, DELAY)) {
                    if (!seen.add(item)) {
                        synchronized (duplicates) {
                            duplicates.add(item);
                        }
                    }
                }
            }));
        }
        start.countDown();
        for (Thread sweeper : sweepers) {
            sweeper.join();
        }
        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(items);
    }
}
