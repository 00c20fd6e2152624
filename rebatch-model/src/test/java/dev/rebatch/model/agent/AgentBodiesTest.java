package dev.rebatch.model.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.common.ErrorCategory;
import dev.rebatch.model.task.TaskFailureInformation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node-agent bodies read and write as docs/node-agent-protocol.md shows them. */
class AgentBodiesTest {

    private final ObjectMapper json = BatchJson.mapper();

    @Test
    void registrationAnswerWithAndWithoutFilesKey() throws Exception {
        NodeRegistration registration = json.readValue("""
                {"nodeId": "tvmps_3f0c", "nodeToken": "q0V6", "poolId": "pool-1",
                 "nodeUrl": "http://127.0.0.1:8070/pools/pool-1/nodes/tvmps_3f0c",
                 "taskSlotsPerNode": 4, "taskSlots": 2, "heartbeatIntervalMillis": 10000, "leaseTtlMillis": 40000,
                 "somethingNewer": true}""", NodeRegistration.class);
        assertThat(registration.nodeId()).isEqualTo("tvmps_3f0c");
        assertThat(registration.taskSlots()).isEqualTo(2);
        assertThat(registration.heartbeatInterval().toSeconds()).isEqualTo(10);
        assertThat(registration.filesKey()).isNull();
        assertThat(registration.toString()).doesNotContain("q0V6");

        NodeRegistration withKey = json.readValue("{\"nodeId\":\"n\",\"nodeToken\":\"t\",\"filesKey\":\"k\"}",
                NodeRegistration.class);
        assertThat(withKey.filesKey()).isEqualTo("k");
    }

    @Test
    void leaseRequestLeavesOutWhatIsNotSet() throws Exception {
        assertThat(json.writeValueAsString(new LeaseRequest(3, 10_000L, List.of(new HeldAttempt("job-1", "t7", 2)))))
                .isEqualTo("{\"freeSlots\":3,\"waitMillis\":10000,\"running\":[{\"jobId\":\"job-1\",\"taskId\":\"t7\","
                        + "\"epoch\":2}]}");
        assertThat(json.writeValueAsString(new LeaseRequest(null, null, null))).isEqualTo("{\"running\":[]}");
    }

    @Test
    void leaseAnswerKeepsTheTaskAsSent() throws Exception {
        LeaseAnswer answer = json.readValue("""
                {"node": {"state": "running", "schedulingState": "enabled"}, "reboot": false,
                 "renewed": [{"jobId": "job-1", "taskId": "t7", "epoch": 2}],
                 "cancellations": [{"jobId": "job-1", "taskId": "t6", "epoch": 1, "reason": "TerminateTask"}],
                 "leases": [{"jobId": "job-1", "taskId": "t8", "epoch": 1,
                             "task": {"id": "t8", "commandLine": "echo hi", "requiredSlots": 2,
                                      "constraints": {"maxWallClockTime": "PT1H"}, "futureProperty": 1},
                             "job": {"id": "job-1", "commonEnvironmentSettings": [{"name": "A", "value": "1"}]}}],
                 "heartbeatIntervalMillis": 10000, "leaseTtlMillis": 40000}""", LeaseAnswer.class);
        assertThat(answer.node().state()).isEqualTo("running");
        assertThat(answer.renewed()).containsExactly(new HeldAttempt("job-1", "t7", 2));
        assertThat(answer.cancellations().get(0).reason()).isEqualTo(Cancellation.TERMINATE_TASK);
        assertThat(answer.cancellations().get(0).attempt()).isEqualTo(new HeldAttempt("job-1", "t6", 1));
        Lease lease = answer.leases().get(0);
        assertThat(lease.attempt()).isEqualTo(new HeldAttempt("job-1", "t8", 1));
        assertThat(lease.requiredSlots()).isEqualTo(2);
        assertThat(lease.task().path("futureProperty").asInt()).isEqualTo(1);
        assertThat(lease.cloudTask().commandLine()).isEqualTo("echo hi");
        assertThat(lease.job().commonEnvironmentSettings()).hasSize(1);

        LeaseAnswer empty = json.readValue("{\"node\":{\"state\":\"idle\"}}", LeaseAnswer.class);
        assertThat(empty.leases()).isEmpty();
        assertThat(empty.cancellations()).isEmpty();
    }

    @Test
    void completionNeedsAnExitCodeOrAFailure() throws Exception {
        AttemptCompleted failed = new AttemptCompleted(3, null,
                new TaskFailureInformation(ErrorCategory.USER_ERROR, "CommandProgramNotFound", "not found", null),
                Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("2026-05-01T10:00:09Z"));
        assertThat(json.writeValueAsString(failed)).isEqualTo("{\"epoch\":3,\"failureInfo\":{\"category\":"
                + "\"usererror\",\"code\":\"CommandProgramNotFound\",\"message\":\"not found\"},"
                + "\"startTime\":\"2026-05-01T10:00:00Z\",\"endTime\":\"2026-05-01T10:00:09Z\"}");
        assertThat(json.writeValueAsString(new AttemptCompleted(1, 0, null, null, null)))
                .isEqualTo("{\"epoch\":1,\"exitCode\":0}");
        assertThatThrownBy(() -> new AttemptCompleted(1, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(json.writeValueAsString(new AttemptStarted(4))).isEqualTo("{\"epoch\":4}");
    }
}
