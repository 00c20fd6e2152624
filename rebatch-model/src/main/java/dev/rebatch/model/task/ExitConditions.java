package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * Mirrors spec definition {@code ExitConditions}: how the service responds to a task's exit.
 * {@code defaultOptions} is the JSON property {@code default} (a Java keyword): it applies to every non-zero exit
 * code not listed, and to pre-processing and upload errors without their own options.
 */
public record ExitConditions(
        @JsonProperty("exitCodes") List<ExitCodeMapping> exitCodes,
        @JsonProperty("exitCodeRanges") List<ExitCodeRangeMapping> exitCodeRanges,
        @JsonProperty("preProcessingError") ExitOptions preProcessingError,
        @JsonProperty("fileUploadError") ExitOptions fileUploadError,
        @JsonProperty("default") ExitOptions defaultOptions) {

    public ExitConditions {
        exitCodes = exitCodes == null ? null : List.copyOf(exitCodes);
        exitCodeRanges = exitCodeRanges == null ? null : List.copyOf(exitCodeRanges);
    }

    /** No exit conditions: the service defaults. */
    public static ExitConditions empty() {
        return new ExitConditions(null, null, null, null, null);
    }

    /** These conditions and {@code exitOptions} for the exit code {@code code}. */
    public ExitConditions withExitCode(int code, ExitOptions exitOptions) {
        List<ExitCodeMapping> codes = exitCodes == null ? new ArrayList<>() : new ArrayList<>(exitCodes);
        codes.add(new ExitCodeMapping(code, exitOptions));
        return withExitCodes(codes);
    }

    /** These conditions and {@code exitOptions} for the exit codes start..end, both inclusive. */
    public ExitConditions withExitCodeRange(int start, int end, ExitOptions exitOptions) {
        List<ExitCodeRangeMapping> ranges = exitCodeRanges == null ? new ArrayList<>()
                : new ArrayList<>(exitCodeRanges);
        ranges.add(new ExitCodeRangeMapping(start, end, exitOptions));
        return withExitCodeRanges(ranges);
    }

    public ExitConditions withExitCodes(List<ExitCodeMapping> exitCodes) {
        return new ExitConditions(exitCodes, exitCodeRanges, preProcessingError, fileUploadError, defaultOptions);
    }

    public ExitConditions withExitCodeRanges(List<ExitCodeRangeMapping> exitCodeRanges) {
        return new ExitConditions(exitCodes, exitCodeRanges, preProcessingError, fileUploadError, defaultOptions);
    }

    public ExitConditions withPreProcessingError(ExitOptions preProcessingError) {
        return new ExitConditions(exitCodes, exitCodeRanges, preProcessingError, fileUploadError, defaultOptions);
    }

    public ExitConditions withFileUploadError(ExitOptions fileUploadError) {
        return new ExitConditions(exitCodes, exitCodeRanges, preProcessingError, fileUploadError, defaultOptions);
    }

    public ExitConditions withDefaultOptions(ExitOptions defaultOptions) {
        return new ExitConditions(exitCodes, exitCodeRanges, preProcessingError, fileUploadError, defaultOptions);
    }
}
