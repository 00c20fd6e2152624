package dev.rebatch.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesWhatPeopleWrite() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse(" 2M ")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesTheRest() {
        for (String bad : new String[] {"", "s", "10 minutes", "1h 30m", "0s", "-5s", "P", "1x", "5s5"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void printsForPeople() {
        assertThat(Durations.human(Duration.ofMillis(430))).isEqualTo("0.4 s");
        assertThat(Durations.human(Duration.ofMillis(12_345))).isEqualTo("12.3 s");
        assertThat(Durations.human(Duration.ofSeconds(245))).isEqualTo("4 min 5 s");
        assertThat(Durations.human(Duration.ofMinutes(123))).isEqualTo("2 h 3 min");
    }
}
