package dev.rebatch.cli.run;

import dev.rebatch.model.task.ExitCodeMapping;
import dev.rebatch.model.task.ExitCodeRangeMapping;
import dev.rebatch.model.task.ExitConditions;
import dev.rebatch.model.task.ExitOptions;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What a task's exit conditions ask of the job, in any of their exit options: a jobAction only happens when the
 * job's onTaskFailure carries it out, a dependencyAction only when the job uses task dependencies.
 */
final class ExitActions {

    private ExitActions() {}

    static boolean anyJobAction(ExitConditions conditions) {
        return exitOptions(conditions).anyMatch(options -> options.jobAction() != null);
    }

    static boolean anyDependencyAction(ExitConditions conditions) {
        return exitOptions(conditions).anyMatch(options -> options.dependencyAction() != null);
    }

    private static Stream<ExitOptions> exitOptions(ExitConditions conditions) {
        if (conditions == null) {
            return Stream.empty();
        }
        Stream<ExitOptions> codes = conditions.exitCodes() == null ? Stream.empty()
                : conditions.exitCodes().stream().filter(Objects::nonNull).map(ExitCodeMapping::exitOptions);
        Stream<ExitOptions> ranges = conditions.exitCodeRanges() == null ? Stream.empty()
                : conditions.exitCodeRanges().stream().filter(Objects::nonNull).map(ExitCodeRangeMapping::exitOptions);
        Stream<ExitOptions> others = Stream.of(conditions.preProcessingError(), conditions.fileUploadError(),
                conditions.defaultOptions());
        return Stream.of(codes, ranges, others).flatMap(s -> s).filter(Objects::nonNull);
    }
}
