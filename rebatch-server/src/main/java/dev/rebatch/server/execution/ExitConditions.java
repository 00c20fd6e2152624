package dev.rebatch.server.execution;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A task's exitConditions (spec ExitConditions) and the rule that picks the options for how an attempt ended
 * (spec ExitConditions and ExitOptions; wire-notes 5.1):
 *
 * <ol>
 *   <li>an exit code listed in {@code exitCodes}, else in {@code exitCodeRanges} (start and end inclusive), takes
 *       that entry's options, first match in list order; this wins even over a later file upload error;</li>
 *   <li>otherwise a file upload error takes {@code fileUploadError}, a pre-processing error
 *       {@code preProcessingError}, each falling back to {@code default};</li>
 *   <li>otherwise exit code 0 without a failure is plain success and takes no options ("if you want non-default
 *       behavior on exit code 0, you must list it explicitly"), and anything else takes {@code default}.</li>
 * </ol>
 *
 * Options that leave an action out get Batch's default: jobAction none and dependencyAction satisfy for the exit
 * code 0 condition, terminate and block for every other one (spec ExitOptions; learn "batch-task-dependencies",
 * Dependency actions).
 */
public record ExitConditions(List<ExitCodeMapping> exitCodes, List<ExitCodeRangeMapping> exitCodeRanges,
                             ExitOptions preProcessingError, ExitOptions fileUploadError, ExitOptions defaultOptions) {

    public static final ExitConditions NONE = new ExitConditions(List.of(), List.of(), null, null,
            ExitOptions.UNSPECIFIED);

    /**
     * @param preProcessingError null when absent: {@code default} applies then, while present options that leave an
     *                           action out take that action's default
     * @param fileUploadError    null when absent, likewise
     * @param defaultOptions     {@link ExitOptions#UNSPECIFIED} when absent
     */
    public ExitConditions {
        exitCodes = List.copyOf(exitCodes);
        exitCodeRanges = List.copyOf(exitCodeRanges);
        Objects.requireNonNull(defaultOptions, "defaultOptions");
    }

    /** The exitConditions of a (validated) task document; {@link #NONE} when absent. */
    public static ExitConditions of(JsonNode json) {
        if (json == null || !json.isObject()) {
            return NONE;
        }
        List<ExitCodeMapping> codes = new ArrayList<>();
        json.path("exitCodes").forEach(entry -> codes.add(
                new ExitCodeMapping(entry.path("code").asInt(), ExitOptions.of(entry.get("exitOptions")))));
        List<ExitCodeRangeMapping> ranges = new ArrayList<>();
        json.path("exitCodeRanges").forEach(entry -> ranges.add(new ExitCodeRangeMapping(entry.path("start").asInt(),
                entry.path("end").asInt(), ExitOptions.of(entry.get("exitOptions")))));
        return new ExitConditions(codes, ranges, present(json, "preProcessingError"), present(json, "fileUploadError"),
                ExitOptions.of(json.get("default")));
    }

    /** The options of the first {@code exitCodes} entry, else the first {@code exitCodeRanges} entry, for the code. */
    public Optional<ExitOptions> listed(int exitCode) {
        for (ExitCodeMapping mapping : exitCodes) {
            if (mapping.code() == exitCode) {
                return Optional.of(mapping.exitOptions());
            }
        }
        for (ExitCodeRangeMapping range : exitCodeRanges) {
            if (range.contains(exitCode)) {
                return Optional.of(range.exitOptions());
            }
        }
        return Optional.empty();
    }

    /**
     * The job and dependency actions for an attempt that ended with {@code exitCode} (null when the program never
     * ran or the service ended it without one) and {@code failure} (null when there was none beyond the code);
     * both actions of the result are set.
     */
    public ExitOptions resolve(Integer exitCode, FailureInfo failure) {
        Optional<ExitOptions> listed = exitCode == null ? Optional.empty() : listed(exitCode);
        ExitOptions chosen;
        boolean exitCodeZero;
        if (listed.isPresent()) {
            chosen = listed.get();
            exitCodeZero = exitCode == 0;
        } else if (failure != null && failure.isFileUploadError()) {
            chosen = orDefault(fileUploadError);
            exitCodeZero = false;
        } else if (failure != null && exitCode == null && !failure.isTaskEnded()) {
            chosen = orDefault(preProcessingError);
            exitCodeZero = false;
        } else if (failure == null && exitCode != null && exitCode == 0) {
            chosen = ExitOptions.UNSPECIFIED;
            exitCodeZero = true;
        } else {
            chosen = defaultOptions;
            exitCodeZero = false;
        }
        return new ExitOptions(
                chosen.jobAction() != null ? chosen.jobAction() : exitCodeZero ? JobAction.NONE : JobAction.TERMINATE,
                chosen.dependencyAction() != null ? chosen.dependencyAction()
                        : exitCodeZero ? DependencyAction.SATISFY : DependencyAction.BLOCK);
    }

    private ExitOptions orDefault(ExitOptions specific) {
        return specific != null ? specific : defaultOptions;
    }

    private static ExitOptions present(JsonNode json, String name) {
        return json.path(name).isObject() ? ExitOptions.of(json.get(name)) : null;
    }

    /** Spec ExitCodeMapping. */
    public record ExitCodeMapping(int code, ExitOptions exitOptions) {}

    /** Spec ExitCodeRangeMapping: start and end inclusive. */
    public record ExitCodeRangeMapping(int start, int end, ExitOptions exitOptions) {

        public boolean contains(int exitCode) {
            return start <= exitCode && exitCode <= end;
        }
    }
}
