package dev.rebatch.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestNameTest {

    @Test
    void aTypo_suggestsTheClosestKnownName() {
        assertThat(ClosestName.didYouMean("comandLine", List.of("id", "commandLine", "constraints")))
                .isEqualTo(" (did you mean \"commandLine\"?)");
        assertThat(ClosestName.didYouMean("task", JobFileSyntax.TOP_LEVEL)).isEqualTo(" (did you mean \"tasks\"?)");
    }

    @Test
    void caseIsIgnored_butTheKnownSpellingIsSuggested() {
        assertThat(ClosestName.didYouMean("VMSIZE", List.of("vmSize", "id"))).isEqualTo(" (did you mean \"vmSize\"?)");
    }

    @Test
    void aNameFarFromEveryKnownOne_suggestsNothing() {
        assertThat(ClosestName.didYouMean("zzzzzz", JobFileSyntax.TOP_LEVEL)).isEmpty();
        assertThat(ClosestName.didYouMean("anything", List.of())).isEmpty();
    }

    @Test
    void closeMeansAQuarterOfTheLetters_andAtLeastTwo() {
        assertThat(ClosestName.didYouMean("xyz", List.of("xab"))).as("2 off").isNotEmpty();
        assertThat(ClosestName.didYouMean("xyz", List.of("abc"))).as("3 off").isEmpty();
        assertThat(ClosestName.didYouMean("maxTaskRetryCnt", List.of("maxTaskRetryCount"))).as("2 off, of 15")
                .isNotEmpty();
        assertThat(ClosestName.didYouMean("maxWallClockTimeLimits", List.of("maxWallClockTime")))
                .as("6 off, of 22").isEmpty();
    }
}
