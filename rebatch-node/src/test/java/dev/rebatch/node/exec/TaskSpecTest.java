package dev.rebatch.node.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.node.TaskKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskSpecTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsTheTaskAsTheServiceStoresIt() throws Exception {
        JsonNode task = json.readTree("""
                {"id": "t1", "commandLine": "/bin/sh -c 'echo $X'", "requiredSlots": 1,
                 "environmentSettings": [{"name": "X", "value": "1"}, {"name": "EMPTY"}],
                 "constraints": {"maxWallClockTime": "PT1H30M", "retentionTime": "P2D", "maxTaskRetryCount": 3}}
                """);
        JsonNode common = json.readTree("[{\"name\": \"J\", \"value\": \"job\"}]");

        TaskSpec spec = TaskSpec.fromJson("job-1", task, common);

        assertThat(spec.task()).isEqualTo(new TaskKey("job-1", "t1"));
        assertThat(spec.commandLine()).isEqualTo("/bin/sh -c 'echo $X'");
        assertThat(spec.environmentSettings()).containsExactly(new EnvironmentSetting("X", "1"),
                new EnvironmentSetting("EMPTY", ""));
        assertThat(spec.commonEnvironmentSettings()).containsExactly(new EnvironmentSetting("J", "job"));
        assertThat(spec.maxWallClockTime()).isEqualTo(Duration.ofMinutes(90));
        assertThat(spec.retentionTime()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void missingConstraintsMeanNoLimitAndSevenDaysRetention() throws Exception {
        TaskSpec spec = TaskSpec.fromJson("job-1", json.readTree("{\"id\": \"t1\", \"commandLine\": \"true\"}"),
                null);

        assertThat(spec.wallClockLimit()).isEmpty();
        assertThat(spec.retentionTime()).isEqualTo(Duration.ofDays(7));
        assertThat(spec.environmentSettings()).isEmpty();
    }

    @Test
    void batchsUnlimitedDurationMeansNoLimit() throws Exception {
        JsonNode task = json.readTree("""
                {"id": "t1", "commandLine": "true",
                 "constraints": {"maxWallClockTime": "P10675199DT2H48M5.4775807S"}}
                """);

        assertThat(TaskSpec.fromJson("job-1", task, null).wallClockLimit()).isEmpty();
    }

    @Test
    void aDurationJavaCannotReadIsRefusedClearly() throws Exception {
        JsonNode task = json.readTree("""
                {"id": "t1", "commandLine": "true", "constraints": {"maxWallClockTime": "P1Y"}}
                """);

        assertThatThrownBy(() -> TaskSpec.fromJson("job-1", task, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("constraints.maxWallClockTime").hasMessageContaining("P1Y");
    }

    @Test
    void aTaskWithoutACommandLineIsRefused() throws Exception {
        assertThatThrownBy(() -> TaskSpec.fromJson("job-1", json.readTree("{\"id\": \"t1\"}"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commandLine");
    }
}
