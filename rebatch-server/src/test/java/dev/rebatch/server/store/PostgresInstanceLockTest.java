package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BatchStores#instanceLock} on PostgreSQL: one holder per schema, taken over when the holder goes. */
class PostgresInstanceLockTest {

    @TempDir
    Path data;

    @Test
    void oneInstanceHoldsTheLockAndAnotherTakesItOnceItIsReleased() throws Exception {
        try (PostgresTestDatabase database = PostgresTestDatabase.create();
                InstanceLock a = BatchStores.instanceLock(database.url(), data, "local-nodes");
                InstanceLock b = BatchStores.instanceLock(database.url(), data, "local-nodes")) {
            assertThat(a.hold()).as("a takes the free lock").isTrue();
            assertThat(b.hold()).as("b while a holds it").isFalse();
            assertThat(a.hold()).as("a confirms it").isTrue();
            assertThat(b.hold()).as("b asks again").isFalse();

            a.close();
            assertThat(b.hold()).as("b once a released it").isTrue();
            assertThat(a.hold()).as("a closed holds nothing").isFalse();
        }
    }

    @Test
    void aHolderWhoseSessionEndsLosesTheLockAndAnotherTakesIt() throws Exception {
        try (PostgresTestDatabase database = PostgresTestDatabase.create();
                InstanceLock a = BatchStores.instanceLock(database.url(), data, "local-nodes");
                InstanceLock b = BatchStores.instanceLock(database.url(), data, "local-nodes")) {
            assertThat(a.hold()).isTrue();
            assertThat(b.hold()).isFalse();

            assertThat(database.terminateInstanceLockHolders()).as("sessions ended").isEqualTo(1);
            assertThat(b.hold()).as("b after a's session ended").isTrue();
            assertThat(a.hold()).as("a notices it lost the lock").isFalse();
            assertThat(a.hold()).as("a, reconnected, finds b holding it").isFalse();
        }
    }

    @Test
    void eachSchemaAndEachNameHasALockOfItsOwn() throws Exception {
        try (PostgresTestDatabase one = PostgresTestDatabase.create();
                PostgresTestDatabase two = PostgresTestDatabase.create();
                InstanceLock first = BatchStores.instanceLock(one.url(), data, "local-nodes");
                InstanceLock second = BatchStores.instanceLock(two.url(), data, "local-nodes");
                InstanceLock otherName = BatchStores.instanceLock(one.url(), data, "something-else")) {
            assertThat(first.hold()).isTrue();
            assertThat(second.hold()).as("another schema").isTrue();
            assertThat(otherName.hold()).as("another name in the same schema").isTrue();
        }
    }

    @Test
    void theEmbeddedStoresLockIsAlwaysHeld() {
        try (InstanceLock embedded = BatchStores.instanceLock(null, data, "local-nodes")) {
            assertThat(embedded.hold()).isTrue();
            assertThat(embedded.describe()).contains(data.toAbsolutePath().toString());
        }
    }
}
