package dev.rebatch.node.exec;

import dev.rebatch.node.NodeContext;
import dev.rebatch.node.NodeLayout;
import dev.rebatch.node.TaskKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment a task's process starts with, built in layers, each overriding the one before:
 *
 * <ol>
 *   <li>a few variables every program expects, inherited from the agent ({@link #inheritedFrom});</li>
 *   <li>the job's commonEnvironmentSettings;</li>
 *   <li>the task's environmentSettings;</li>
 *   <li>the {@code AZ_BATCH_*} variables of the Batch runtime ("Azure Batch runtime environment variables"). These
 *       come last: tasks rely on them to find their directories, so a setting cannot point them elsewhere.</li>
 * </ol>
 *
 * <p>Only the listed variables pass from the agent to a task. On Batch a task runs as its own user with its own
 * environment, never the agent's; here the agent's environment carries its own configuration and secrets (its
 * account key, {@code REBATCH_*}), which a task must not see.
 */
public final class TaskEnvironment {

    /** What every program expects to find; everything else of the agent's environment stays with the agent. */
    private static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG",
            "LANGUAGE", "TZ", "TMPDIR");
    /** execvp's default when there is no PATH at all. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private TaskEnvironment() {}

    /** The part of an agent's environment a task inherits: the basics above and the locale ({@code LC_*}). */
    public static Map<String, String> inheritedFrom(Map<String, String> agentEnvironment) {
        Map<String, String> inherited = new LinkedHashMap<>();
        agentEnvironment.forEach((name, value) -> {
            if (INHERITED.contains(name) || name.startsWith("LC_")) {
                inherited.put(name, value);
            }
        });
        inherited.putIfAbsent("PATH", DEFAULT_PATH);
        return inherited;
    }

    /**
     * @param inherited what the task inherits from the agent (see {@link #inheritedFrom})
     * @return the complete environment of the task's process
     */
    public static Map<String, String> of(NodeContext node, TaskSpec spec, Map<String, String> inherited) {
        Map<String, String> environment = new LinkedHashMap<>(inherited);
        for (EnvironmentSetting setting : spec.commonEnvironmentSettings()) {
            environment.put(setting.name(), setting.value());
        }
        for (EnvironmentSetting setting : spec.environmentSettings()) {
            environment.put(setting.name(), setting.value());
        }
        environment.putAll(batchVariables(node, spec.task()));
        return environment;
    }

    /** The Batch runtime variables for one task on this node. */
    static Map<String, String> batchVariables(NodeContext node, TaskKey task) {
        NodeLayout layout = node.layout();
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("AZ_BATCH_ACCOUNT_NAME", node.accountName());
        variables.put("AZ_BATCH_ACCOUNT_URL", node.accountUrl());
        variables.put("AZ_BATCH_POOL_ID", node.poolId());
        variables.put("AZ_BATCH_NODE_ID", node.nodeId());
        variables.put("AZ_BATCH_NODE_IS_DEDICATED", Boolean.toString(node.dedicated()));
        variables.put("AZ_BATCH_NODE_ROOT_DIR", layout.root().toString());
        variables.put("AZ_BATCH_NODE_SHARED_DIR", layout.shared().toString());
        variables.put("AZ_BATCH_NODE_STARTUP_DIR", layout.startup().toString());
        variables.put("AZ_BATCH_NODE_MOUNTS_DIR", layout.mounts().toString());
        variables.put("AZ_BATCH_JOB_ID", task.jobId());
        variables.put("AZ_BATCH_TASK_ID", task.taskId());
        variables.put("AZ_BATCH_TASK_DIR", layout.taskDir(task).toString());
        variables.put("AZ_BATCH_TASK_WORKING_DIR", layout.workingDir(task).toString());
        return variables;
    }
}
