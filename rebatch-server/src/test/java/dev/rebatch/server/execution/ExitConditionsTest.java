package dev.rebatch.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.http.Json;
import org.junit.jupiter.api.Test;

class ExitConditionsTest {

    private static final FailureInfo UPLOAD =
            new FailureInfo(FailureInfo.Category.USER_ERROR, "FileUploadMiscError", "upload failed");

    private static ExitConditions parse(String json) {
        return ExitConditions.of(Json.readStored(json));
    }

    @Test
    void withoutExitConditionsSuccessSatisfiesAndEverythingElseTerminatesAndBlocks() {
        ExitConditions none = ExitConditions.of(null);

        assertThat(none.resolve(0, null)).isEqualTo(new ExitOptions(JobAction.NONE, DependencyAction.SATISFY));
        assertThat(none.resolve(1, FailureInfo.failureExitCode()))
                .isEqualTo(new ExitOptions(JobAction.TERMINATE, DependencyAction.BLOCK));
        assertThat(none.resolve(null, FailureInfo.commandProgramNotFound("x")))
                .isEqualTo(new ExitOptions(JobAction.TERMINATE, DependencyAction.BLOCK));
        assertThat(none.resolve(0, UPLOAD)).isEqualTo(new ExitOptions(JobAction.TERMINATE, DependencyAction.BLOCK));
    }

    @Test
    void aListedExitCodeWinsOverALaterUploadError() {
        ExitConditions conditions = parse("{\"exitCodes\":[{\"code\":3,\"exitOptions\":{\"dependencyAction\":\"satisfy\"}}],"
                + "\"fileUploadError\":{\"jobAction\":\"disable\"}}");

        assertThat(conditions.resolve(3, UPLOAD)).isEqualTo(new ExitOptions(JobAction.TERMINATE, DependencyAction.SATISFY));
        assertThat(conditions.resolve(4, UPLOAD)).isEqualTo(new ExitOptions(JobAction.DISABLE, DependencyAction.BLOCK));
    }

    @Test
    void anUploadErrorWithoutItsOwnOptionsTakesTheDefault() {
        ExitConditions conditions = parse("{\"default\":{\"jobAction\":\"none\",\"dependencyAction\":\"satisfy\"}}");

        assertThat(conditions.resolve(0, UPLOAD)).isEqualTo(new ExitOptions(JobAction.NONE, DependencyAction.SATISFY));
    }

    @Test
    void presentButEmptyOptionsTakeTheDefaultsOfTheirConditionNotTheDefaultOptions() {
        ExitConditions conditions = parse("{\"preProcessingError\":{},\"default\":{\"dependencyAction\":\"satisfy\"}}");

        assertThat(conditions.resolve(null, FailureInfo.commandLaunchFailed("x")))
                .isEqualTo(new ExitOptions(JobAction.TERMINATE, DependencyAction.BLOCK));
    }

    @Test
    void exitCodeZeroListedWithoutActionsKeepsTheSuccessDefaults() {
        ExitConditions conditions = parse("{\"exitCodeRanges\":[{\"start\":-5,\"end\":5,\"exitOptions\":{}}]}");

        assertThat(conditions.resolve(0, null)).isEqualTo(new ExitOptions(JobAction.NONE, DependencyAction.SATISFY));
        assertThat(conditions.resolve(5, FailureInfo.failureExitCode()))
                .isEqualTo(new ExitOptions(JobAction.TERMINATE, DependencyAction.BLOCK));
    }

    @Test
    void aTaskEndedByTheServiceWithoutAnExitCodeTakesTheDefaultNotThePreProcessingOptions() {
        ExitConditions conditions = parse("{\"preProcessingError\":{\"dependencyAction\":\"satisfy\"},"
                + "\"default\":{\"jobAction\":\"disable\"}}");

        assertThat(conditions.resolve(null, FailureInfo.maxWallClockTimeExceeded()))
                .isEqualTo(new ExitOptions(JobAction.DISABLE, DependencyAction.BLOCK));
    }
}
