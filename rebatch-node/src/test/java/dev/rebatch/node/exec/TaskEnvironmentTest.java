package dev.rebatch.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskEnvironmentTest {

    @Test
    void aTaskInheritsOnlyTheBasicsAndTheLocaleFromTheAgent() {
        Map<String, String> agent = Map.of("PATH", "/opt/bin:/usr/bin", "HOME", "/home/agent", "LANG", "C.UTF-8",
                "LC_TIME", "de_DE.UTF-8", "REBATCH_ACCOUNT_KEY", "c2VjcmV0", "AWS_SECRET_ACCESS_KEY", "x",
                "JAVA_TOOL_OPTIONS", "-Xmx1g", "AZ_BATCH_TASK_ID", "the-agents-own");

        assertThat(TaskEnvironment.inheritedFrom(agent)).containsOnly(Map.entry("PATH", "/opt/bin:/usr/bin"),
                Map.entry("HOME", "/home/agent"), Map.entry("LANG", "C.UTF-8"), Map.entry("LC_TIME", "de_DE.UTF-8"));
    }

    @Test
    void withoutAPathATaskGetsTheUsualOne() {
        assertThat(TaskEnvironment.inheritedFrom(Map.of())).containsEntry("PATH", TaskEnvironment.DEFAULT_PATH);
    }
}
