package dev.rebatch.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules file as {@code rebatch server --faults FILE} reads it. */
class FaultRulesFileTest {

    @TempDir
    Path dir;

    @Test
    void aFileWithOneRulePerFaultLoads() throws Exception {
        Path file = dir.resolve("faults.json");
        Files.writeString(file, """
                {"seed": 42, "rules": [
                  {"operation": "Job_Add", "probability": 0.2, "fault": {"type": "internal-error"}},
                  {"path": "/jobs/*", "method": "GET", "everyNth": 5,
                   "fault": {"type": "server-busy", "retryAfterSeconds": 2}},
                  {"path": "/pools/**", "account": "myaccount", "everyNth": 4,
                   "fault": {"type": "too-many-requests", "retryAfterSeconds": 3, "retryAfterHttpDate": true}},
                  {"operation": "Job_List", "probability": 0.5, "fault": {"type": "latency", "latencyMillis": 500}},
                  {"operation": "Task_Add", "everyNth": 10, "fault": {"type": "reset-before"}},
                  {"operation": "Job_Add", "everyNth": 3, "fault": {"type": "drop-after-commit"}},
                  {"operation": "Job_Get", "everyNth": 7, "fault": {"type": "hang", "hangMillis": 120000}}
                ]}
                """);
        FaultRules rules = FaultRules.load(file);
        assertThat(rules.seed()).isEqualTo(42);
        assertThat(rules.rules()).extracting(rule -> rule.fault().type()).containsExactly(FaultType.values());
        assertThat(FaultRules.parse(rules.toJson().toString().getBytes())).isEqualTo(rules);
    }

    @Test
    void aMissingFileOrBadJsonSaysSo() throws Exception {
        assertThatThrownBy(() -> FaultRules.load(dir.resolve("absent.json")))
                .isInstanceOf(FaultRulesException.class).hasMessageContaining("absent.json");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"rules\": [");
        assertThatThrownBy(() -> FaultRules.load(bad)).isInstanceOf(FaultRulesException.class)
                .hasMessageContaining("not valid JSON");
    }
}
