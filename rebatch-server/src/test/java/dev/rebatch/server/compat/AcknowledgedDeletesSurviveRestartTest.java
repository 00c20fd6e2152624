package dev.rebatch.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.TestService;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deletes and terminations answered 202 are durable: if the service stops after marking the job "deleting" or
 * "terminating" and before finishing, the next start finishes the work.
 */
class AcknowledgedDeletesSurviveRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void aJobLeftDeletingByACrashIsRemovedOnTheNextStart() throws Exception {
        ResourceKey job = ResourceKey.topLevel(TestService.ACCOUNT, ResourceKind.JOB, "half-deleted");
        ResourceKey task = new ResourceKey(TestService.ACCOUNT, ResourceKind.TASK, "half-deleted", "t1");
        ResourceKey survivor = ResourceKey.topLevel(TestService.ACCOUNT, ResourceKind.JOB, "still-here");
        // The state a crash leaves behind: the 202 was sent, the removal never ran.
        try (BatchStore store = BatchStores.open(null, dataDir)) {
            Instant now = Instant.now();
            store.insert(new StoredResource(job, "deleting", "{}", 1, now, now, now, null, null, null));
            store.insert(new StoredResource(task, "active", "{}", 1, now, now, now, null, null, null));
            store.insert(new StoredResource(survivor, "active", "{}", 1, now, now, now, null, null, null));
        }

        try (TestService service = new TestService(dataDir)) {
            var jobs = service.officialClient().jobOperations();
            // The resumption runs in the background right after start: poll for it, bounded to 5 s.
            for (int i = 0; i < 500 && jobs.listJobs().stream().anyMatch(j -> j.id().equals("half-deleted")); i++) {
                Thread.sleep(10);
            }
            assertThat(jobs.listJobs()).extracting(j -> j.id()).containsExactly("still-here");
        }
        try (BatchStore store = BatchStores.open(null, dataDir)) {
            assertThat(store.find(task)).as("the job's tasks went with it").isEmpty();
        }
    }

    @Test
    void aJobLeftTerminatingByACrashIsCompletedWithItsTasksOnTheNextStart() throws Exception {
        ResourceKey job = ResourceKey.topLevel(TestService.ACCOUNT, ResourceKind.JOB, "half-terminated");
        ResourceKey task = new ResourceKey(TestService.ACCOUNT, ResourceKind.TASK, "half-terminated", "t1");
        try (BatchStore store = BatchStores.open(null, dataDir)) {
            Instant now = Instant.now();
            store.insert(new StoredResource(job, "terminating", "{}", 1, now, now, now, null, null, null));
            store.insert(new StoredResource(task, "active", "{}", 1, now, now, now, null, null, null));
        }

        try (TestService service = new TestService(dataDir)) {
            var jobs = service.officialClient().jobOperations();
            // The resumption runs in the background right after start: poll for it, bounded to 5 s.
            for (int i = 0; i < 500 && !"completed".equals(jobs.getJob("half-terminated").state().toString()); i++) {
                Thread.sleep(10);
            }
            assertThat(jobs.getJob("half-terminated").state().toString()).isEqualTo("completed");
            assertThat(service.officialClient().taskOperations().getTask("half-terminated", "t1").state().toString())
                    .isEqualTo("completed");
        }
    }
}
