package dev.rebatch.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.model.job.OnAllTasksComplete;
import dev.rebatch.model.node.SchedulingState;
import dev.rebatch.model.pool.PoolSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedValueTest {

    @Test
    void javaTypes_areNamedAsJsonValues() {
        assertThat(ExpectedValue.of(Integer.class)).isEqualTo("an integer");
        assertThat(ExpectedValue.of(int.class)).isEqualTo("an integer");
        assertThat(ExpectedValue.of(long.class)).isEqualTo("an integer");
        assertThat(ExpectedValue.of(Boolean.class)).isEqualTo("true or false");
        assertThat(ExpectedValue.of(String.class)).isEqualTo("a string");
        assertThat(ExpectedValue.of(List.class)).isEqualTo("a list");
        assertThat(ExpectedValue.of(String[].class)).isEqualTo("a list");
        assertThat(ExpectedValue.of(PoolSpec.class)).isEqualTo("an object");
        assertThat(ExpectedValue.of(null)).isEqualTo("another kind of value");
    }

    @Test
    void timesAndDurations_showTheirIsoForm() {
        assertThat(ExpectedValue.of(Duration.class)).isEqualTo("an ISO 8601 duration such as \"PT1H\" or \"PT30S\"");
        assertThat(ExpectedValue.of(Instant.class)).isEqualTo("an ISO 8601 time such as \"2024-07-01T10:00:00Z\"");
    }

    @Test
    void anEnum_listsItsWireValues_withoutUnknown() {
        assertThat(ExpectedValue.of(OnAllTasksComplete.class)).isEqualTo("one of noaction, terminatejob");
        assertThat(ExpectedValue.of(SchedulingState.class)).isEqualTo("one of enabled, disabled");
    }
}
