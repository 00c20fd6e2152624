package dev.rebatch.cli.run;

import dev.rebatch.model.common.EnvironmentSetting;
import dev.rebatch.model.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compact form of many similar tasks: {@code {"idPattern": "frame-{i}", "commandLine": "render {i}",
 * "range": {"start": 1, "end": 10000}, ...}}. Each integer i of the range (both ends included) gives one task: the
 * template's task properties, with {@code {i}} replaced in the id, the command line, the display name and the
 * environment values. {@code {i:05}} pads i with zeros to 5 digits. A {@code ${i}} is a shell's variable and is left
 * alone.
 *
 * @param idPattern the id of each task, with {@code {i}}
 * @param start     the first i
 * @param end       the last i (inclusive)
 * @param base      every other task property, its strings still holding the placeholders (its id is unused)
 */
public record TaskTemplate(String idPattern, int start, int end, TaskSpec base) {

    /** At most this many tasks from one template; a bigger range is almost certainly a typo. */
    public static final int MAX_TASKS = 1_000_000;

    /** {@code {i}} or {@code {i:FORMAT}}; the character before it is looked at separately, for {@code ${i}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{i(?::([^}]*))?}");
    private static final Pattern ZERO_PADDING = Pattern.compile("0([1-9][0-9]?)");

    public TaskTemplate {
        Objects.requireNonNull(idPattern, "idPattern");
        Objects.requireNonNull(base, "base");
        if (start > end) {
            throw new IllegalArgumentException("the range's start " + start + " is after its end " + end);
        }
        if (count(start, end) > MAX_TASKS) {
            throw new IllegalArgumentException("the range " + start + ".." + end + " makes " + count(start, end)
                    + " tasks; a template makes at most " + MAX_TASKS);
        }
    }

    /** How many tasks the template makes. */
    public int count() {
        return (int) count(start, end);
    }

    /** The task for {@code i}. */
    public TaskSpec task(int i) {
        return new TaskSpec(substitute(idPattern, i), substituteOrNull(base.displayName(), i),
                substituteOrNull(base.commandLine(), i), base.exitConditions(), environment(i), base.constraints(),
                base.requiredSlots(), base.dependsOn(), base.resourceFiles(), base.affinityInfo(),
                base.userIdentity(), base.multiInstanceSettings(), base.applicationPackageReferences(),
                base.authenticationTokenSettings());
    }

    /** Every task, in the order of i. */
    public List<TaskSpec> expand() {
        List<TaskSpec> tasks = new ArrayList<>(count());
        for (long i = start; i <= end; i++) {
            tasks.add(task((int) i));
        }
        return tasks;
    }

    /**
     * {@code text} with every placeholder replaced by {@code i}.
     *
     * @throws IllegalArgumentException for a placeholder with a format other than zero padding ({@code {i:x}})
     */
    public static String substitute(String text, long i) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder result = null;
        int copied = 0;
        while (matcher.find()) {
            if (matcher.start() > 0 && text.charAt(matcher.start() - 1) == '$') {
                continue; // ${i}: the shell's
            }
            if (result == null) {
                result = new StringBuilder(text.length() + 8);
            }
            result.append(text, copied, matcher.start()).append(format(matcher.group(1), i));
            copied = matcher.end();
        }
        return result == null ? text : result.append(text, copied, text.length()).toString();
    }

    /** Whether {@code text} has a placeholder (not counting a shell's {@code ${i}}). */
    public static boolean hasPlaceholder(String text) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (matcher.start() == 0 || text.charAt(matcher.start() - 1) != '$') {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks the placeholders of {@code text}.
     *
     * @throws IllegalArgumentException naming the first placeholder whose format is not zero padding
     */
    public static void checkPlaceholders(String text) {
        if (text != null) {
            substitute(text, 0);
        }
    }

    private static String format(String format, long i) {
        if (format == null) {
            return Long.toString(i);
        }
        Matcher padding = ZERO_PADDING.matcher(format);
        if (!padding.matches()) {
            throw new IllegalArgumentException("{i:" + format + "} is not a placeholder: write {i}, or {i:0N} to pad "
                    + "i with zeros to N digits (such as {i:05})");
        }
        return String.format("%0" + padding.group(1) + "d", i);
    }

    private static String substituteOrNull(String text, long i) {
        return text == null ? null : substitute(text, i);
    }

    private List<EnvironmentSetting> environment(long i) {
        if (base.environmentSettings() == null) {
            return null;
        }
        List<EnvironmentSetting> settings = new ArrayList<>(base.environmentSettings().size());
        for (EnvironmentSetting setting : base.environmentSettings()) {
            settings.add(new EnvironmentSetting(setting.name(), substituteOrNull(setting.value(), i)));
        }
        return settings;
    }

    private static long count(long start, long end) {
        return end - start + 1;
    }
}
