package dev.rebatch.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TaskIdRangeProperties {

    @Property
    void anIntegerIdWithAnyLeadingZerosIsThatInteger(@ForAll int value, @ForAll @IntRange(max = 20) int zeros) {
        String digits = "0".repeat(zeros) + Long.toString(Math.abs((long) value));
        String id = value < 0 ? "-" + digits : digits;

        assertThat(TaskIdRange.integerValue(id)).isEqualTo(OptionalInt.of(value));
    }

    @Property
    void aRangeHoldsAnIdExactlyWhenItsIntegerIsWithinStartAndEnd(@ForAll("bounds") int a, @ForAll("bounds") int b,
                                                                @ForAll("bounds") int value) {
        TaskIdRange range = new TaskIdRange(Math.min(a, b), Math.max(a, b));

        assertThat(range.contains(Integer.toString(value))).isEqualTo(range.start() <= value && value <= range.end());
        assertThat(range.contains("0" + value)).isEqualTo(value >= 0 && range.start() <= value && value <= range.end());
    }

    @Property
    void idsThatAreNotIntegersAreInNoRange(@ForAll("nonIntegerIds") String id) {
        assertThat(TaskIdRange.integerValue(id)).isEmpty();
        assertThat(new TaskIdRange(Integer.MIN_VALUE, Integer.MAX_VALUE).contains(id)).isFalse();
    }

    @Property
    void integersBeyondAnIntAreInNoRange(@ForAll @IntRange(min = 1, max = 40) int extraDigits) {
        String id = Integer.toString(Integer.MAX_VALUE) + "9".repeat(extraDigits);

        assertThat(TaskIdRange.integerValue(id)).isEmpty();
        assertThat(TaskIdRange.integerValue("-" + id)).isEmpty();
        assertThat(TaskIdRange.integerValue("2147483648")).isEmpty();
        assertThat(TaskIdRange.integerValue("-2147483648")).hasValue(Integer.MIN_VALUE);
    }

    @Provide
    Arbitrary<Integer> bounds() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-50, 50), Arbitraries.integers());
    }

    @Provide
    Arbitrary<String> nonIntegerIds() {
        return Arbitraries.strings().withChars("abcXYZ_-0123456789").ofMinLength(1).ofMaxLength(64)
                .filter(id -> !id.matches("-?[0-9]+"));
    }
}
