package dev.rebatch.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.execution.ExitConditions.ExitCodeMapping;
import dev.rebatch.server.execution.ExitConditions.ExitCodeRangeMapping;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ExitConditionsProperties {

    private static final ExitOptions RANGE = new ExitOptions(JobAction.DISABLE, DependencyAction.SATISFY);
    private static final ExitOptions CODE = new ExitOptions(JobAction.NONE, DependencyAction.BLOCK);

    @Property
    void aRangeMatchesExactlyTheCodesFromStartToEndInclusive(@ForAll("ranges") ExitCodeRangeMapping range,
                                                            @ForAll("codes") int exitCode) {
        ExitConditions conditions = new ExitConditions(List.of(), List.of(range), null, null, ExitOptions.UNSPECIFIED);

        boolean inside = range.start() <= exitCode && exitCode <= range.end();
        assertThat(conditions.listed(exitCode)).isEqualTo(inside ? Optional.of(RANGE) : Optional.empty());
        assertThat(conditions.listed(range.start())).contains(RANGE);
        assertThat(conditions.listed(range.end())).contains(RANGE);
    }

    @Property
    void anExitCodeListedByItselfWinsOverARangeThatHoldsIt(@ForAll("ranges") ExitCodeRangeMapping range,
                                                          @ForAll("codes") int exitCode) {
        ExitConditions conditions = new ExitConditions(List.of(new ExitCodeMapping(exitCode, CODE)), List.of(range),
                null, null, ExitOptions.UNSPECIFIED);

        assertThat(conditions.listed(exitCode)).contains(CODE);
    }

    @Property
    void theFirstMatchingRangeInListOrderWins(@ForAll("ranges") ExitCodeRangeMapping first,
                                              @ForAll("ranges") ExitCodeRangeMapping second,
                                              @ForAll("codes") int exitCode) {
        ExitCodeRangeMapping later = new ExitCodeRangeMapping(second.start(), second.end(), CODE);
        ExitConditions conditions = new ExitConditions(List.of(), List.of(first, later), null, null,
                ExitOptions.UNSPECIFIED);

        Optional<ExitOptions> expected = first.contains(exitCode) ? Optional.of(RANGE)
                : later.contains(exitCode) ? Optional.of(CODE) : Optional.empty();
        assertThat(conditions.listed(exitCode)).isEqualTo(expected);
    }

    @Property
    void anUnlistedNonZeroCodeTakesTheDefaultAndItsDefaults(@ForAll("codes") int exitCode) {
        ExitConditions conditions = new ExitConditions(List.of(), List.of(), null, null,
                new ExitOptions(null, DependencyAction.SATISFY));

        ExitOptions resolved = conditions.resolve(exitCode, exitCode == 0 ? null : FailureInfo.failureExitCode());

        assertThat(resolved.jobAction()).isEqualTo(exitCode == 0 ? JobAction.NONE : JobAction.TERMINATE);
        assertThat(resolved.dependencyAction()).isEqualTo(DependencyAction.SATISFY);
    }

    @Provide
    Arbitrary<Integer> codes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-20, 20), Arbitraries.integers());
    }

    @Provide
    Arbitrary<ExitCodeRangeMapping> ranges() {
        return Combinators.combine(codes(), Arbitraries.integers().between(0, 30))
                .as((start, length) -> new ExitCodeRangeMapping(start, (int) Math.min(Integer.MAX_VALUE, (long) start + length), RANGE));
    }
}
