package dev.rebatch.node.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.node.TaskKey;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the node needs to run one attempt of a task.
 *
 * @param task                      which task; it names the task directory
 * @param commandLine               the task's commandLine, split by {@link CommandLine#tokenize}
 * @param environmentSettings       the task's environmentSettings
 * @param commonEnvironmentSettings the job's commonEnvironmentSettings; the task's own settings override them
 * @param maxWallClockTime          constraints.maxWallClockTime, or {@code null} for no limit
 * @param retentionTime             constraints.retentionTime: how long the task directory is kept after the task
 *                                  completes
 */
public record TaskSpec(TaskKey task, String commandLine, List<EnvironmentSetting> environmentSettings,
        List<EnvironmentSetting> commonEnvironmentSettings, Duration maxWallClockTime, Duration retentionTime) {

    /** The default retentionTime since 2018-12-01.8.0 (wire-notes 5.1). */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    /**
     * How Batch writes "no limit" ({@code P10675199DT2H48M5.4775807S}, .NET's TimeSpan.MaxValue, wire-notes 1.4): any
     * duration this long is treated as none, and it could not be scheduled anyway.
     */
    private static final Duration UNLIMITED = Duration.ofDays(10675199);

    public TaskSpec {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(commandLine, "commandLine");
        environmentSettings = List.copyOf(environmentSettings);
        commonEnvironmentSettings = List.copyOf(commonEnvironmentSettings);
        if (maxWallClockTime != null && maxWallClockTime.compareTo(UNLIMITED) >= 0) {
            maxWallClockTime = null;
        }
        if (maxWallClockTime != null && maxWallClockTime.isNegative()) {
            throw new IllegalArgumentException("maxWallClockTime must not be negative: " + maxWallClockTime);
        }
        retentionTime = retentionTime == null ? DEFAULT_RETENTION : retentionTime;
    }

    /** A task with just a command line: no environment, no wall-clock limit, the default retention. */
    public static TaskSpec of(TaskKey task, String commandLine) {
        return new TaskSpec(task, commandLine, List.of(), List.of(), null, null);
    }

    /**
     * Reads a task as the service stores it (spec TaskAddParameter / CloudTask): {@code id}, {@code commandLine},
     * {@code environmentSettings} and {@code constraints}. Properties the node does not act on yet are ignored.
     *
     * @param jobId                     the task's job
     * @param task                      the task's JSON
     * @param commonEnvironmentSettings the job's {@code commonEnvironmentSettings} array, or {@code null}
     * @throws IllegalArgumentException when the id or the command line is missing, or a duration is not one Java's
     *                                  {@link Duration#parse} reads (days, hours, minutes and seconds; not years or
     *                                  months)
     */
    public static TaskSpec fromJson(String jobId, JsonNode task, JsonNode commonEnvironmentSettings) {
        return fromLease(jobId, task, settings(commonEnvironmentSettings));
    }

    /**
     * As {@link #fromJson(String, JsonNode, JsonNode)}, with the job's settings already read (a lease carries them
     * typed: turning them back into JSON for every task cost more than reading the task).
     */
    public static TaskSpec fromLease(String jobId, JsonNode task, List<EnvironmentSetting> commonEnvironmentSettings) {
        String taskId = requiredText(task, "id");
        String commandLine = requiredText(task, "commandLine");
        JsonNode constraints = task.path("constraints");
        return new TaskSpec(new TaskKey(jobId, taskId), commandLine, settings(task.get("environmentSettings")),
                commonEnvironmentSettings, duration(constraints, "maxWallClockTime"),
                duration(constraints, "retentionTime"));
    }

    public Optional<Duration> wallClockLimit() {
        return Optional.ofNullable(maxWallClockTime);
    }

    private static String requiredText(JsonNode node, String property) {
        JsonNode value = node.get(property);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("The task has no " + property + ": " + node);
        }
        return value.asText();
    }

    private static List<EnvironmentSetting> settings(JsonNode array) {
        List<EnvironmentSetting> settings = new ArrayList<>();
        if (array == null || array.isNull()) {
            return settings;
        }
        for (JsonNode setting : array) {
            JsonNode value = setting.get("value");
            settings.add(new EnvironmentSetting(setting.path("name").asText(),
                    value == null || value.isNull() ? null : value.asText()));
        }
        return settings;
    }

    private static Duration duration(JsonNode constraints, String property) {
        JsonNode value = constraints.get(property);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Duration.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "constraints." + property + " is not an ISO 8601 duration the node understands: " + value.asText(),
                    e);
        }
    }
}
