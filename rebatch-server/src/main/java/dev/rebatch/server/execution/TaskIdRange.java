package dev.rebatch.server.execution;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A range of task ids a task depends on (spec TaskIdRange), start and end inclusive. It selects the tasks whose id
 * is an integer in the range: "the range 1..10 will select tasks 3 and 7, but not 5flamingoes", and "leading
 * zeroes are not significant", so 4, 04 and 004 are all task 4 (learn "batch-task-dependencies", Task ID range).
 */
public record TaskIdRange(int start, int end) {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    public TaskIdRange {
        if (start > end) {
            throw new IllegalArgumentException("range " + start + ".." + end);
        }
    }

    public boolean contains(String taskId) {
        OptionalInt value = integerValue(taskId);
        return value.isPresent() && start <= value.getAsInt() && value.getAsInt() <= end;
    }

    /** The integer a task id stands for in ranges, if it is one that fits a range's int bounds. */
    public static OptionalInt integerValue(String taskId) {
        if (taskId == null || !INTEGER.matcher(taskId).matches()) {
            return OptionalInt.empty();
        }
        boolean negative = taskId.startsWith("-");
        String digits = (negative ? taskId.substring(1) : taskId).replaceFirst("^0+(?=.)", "");
        if (digits.length() > 10) { // ids are up to 64 characters; an int has at most 10 digits
            return OptionalInt.empty();
        }
        long value = Long.parseLong(digits) * (negative ? -1 : 1);
        return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE
                ? OptionalInt.empty() : OptionalInt.of((int) value);
    }
}
