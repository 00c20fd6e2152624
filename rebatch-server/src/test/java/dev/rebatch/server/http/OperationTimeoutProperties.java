package dev.rebatch.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The spec's rule for the {@code timeout} query parameter: at most the operation's default, which applies unsent. */
class OperationTimeoutProperties {

    private static final OperationCatalog CATALOG = OperationCatalog.load();

    @Property
    void anOperationGetsTheSecondsAskedUpToThirty(@ForAll @IntRange(min = 0, max = 999_999_999) int seconds) {
        Optional<OperationCatalog.Operation> getJob = CATALOG.find("GET", "/jobs/some-job");

        assertThat(OperationTimeout.of(Integer.toString(seconds), getJob))
                .isEqualTo(Duration.ofSeconds(Math.min(seconds, 30)));
        assertThat(OperationTimeout.of(null, getJob)).isEqualTo(Duration.ofSeconds(30));
    }

    @Property
    void addTaskCollectionGetsUpToOneHundredAndTwenty(@ForAll @IntRange(min = 0, max = 999_999_999) int seconds) {
        Optional<OperationCatalog.Operation> addCollection = CATALOG.find("POST", "/jobs/some-job/addtaskcollection");

        assertThat(addCollection).map(OperationCatalog.Operation::operationId).contains("Task_AddCollection");
        assertThat(OperationTimeout.of(Integer.toString(seconds), addCollection))
                .isEqualTo(Duration.ofSeconds(Math.min(seconds, 120)));
        assertThat(OperationTimeout.of(null, addCollection)).isEqualTo(Duration.ofSeconds(120));
    }
}
