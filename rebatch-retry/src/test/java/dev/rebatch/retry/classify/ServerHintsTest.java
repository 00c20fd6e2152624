package dev.rebatch.retry.classify;

import dev.rebatch.retry.FakeResponse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerHintsTest {

    /** A whole second, so that an HTTP-date (second precision) can express any hint exactly. */
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Duration ONE_DAY = Duration.ofDays(1);

    private static Duration read(String... nameValuePairs) {
        return read(NOW, nameValuePairs);
    }

    private static Duration read(Instant now, String... nameValuePairs) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            headers.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return ServerHints.read(FakeResponse.withHeaders(headers), now);
    }

    private static String httpDate(Instant at) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
    }

    // ---------------------------------------------------------------- Retry-After

    @Test
    void retryAfterDeltaSeconds() {
        assertThat(read("Retry-After", "5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(ServerHints.retryAfter("5", NOW)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void retryAfterZeroMeansNoWait() {
        assertThat(read("Retry-After", "0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void retryAfterIsTrimmed() {
        assertThat(read("Retry-After", " 12 ")).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void retryAfterDeltaSecondsWithLeadingZeros() {
        // RFC 9110 delta-seconds is 1*DIGIT: leading zeros do not make the number bigger.
        assertThat(read("Retry-After", "0000000005")).isEqualTo(Duration.ofSeconds(5));
        assertThat(read("Retry-After", "00000000000000000030")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retryAfterHttpDateInTheFuture() {
        assertThat(httpDate(NOW.plusSeconds(30))).isEqualTo("Sat, 1 Mar 2025 12:00:30 GMT");
        assertThat(read("Retry-After", "Sat, 01 Mar 2025 12:00:30 GMT")).isEqualTo(Duration.ofSeconds(30));
        assertThat(read("Retry-After", "Sat, 01 Mar 2025 13:01:02 GMT"))
                .isEqualTo(Duration.ofHours(1).plusMinutes(1).plusSeconds(2));
    }

    @Test
    void retryAfterHttpDateIsMeasuredFromAnExactNow() {
        Instant now = NOW.plusMillis(250);
        assertThat(read(now, "Retry-After", "Sat, 01 Mar 2025 12:00:30 GMT")).isEqualTo(Duration.ofMillis(29_750));
    }

    @Test
    void retryAfterHttpDateInThePastMeansNoWait() {
        assertThat(read("Retry-After", "Sat, 01 Mar 2025 11:59:59 GMT")).isEqualTo(Duration.ZERO);
        assertThat(read("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(Duration.ZERO);
        assertThat(read("Retry-After", httpDate(NOW))).as("exactly now").isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest(name = "Retry-After: \"{0}\"")
    @ValueSource(strings = {"soon", "-1", "1.5", "", "   ", "+5", "5s", "0x10", "Sat, 01 Mar 2025 12:00:30",
        "2025-03-01T12:00:30Z", "Mon, 01 Mar 2025 12:00:30 GMT"})
    void malformedRetryAfterIsIgnored(String value) {
        assertThat(ServerHints.retryAfter(value, NOW)).isNull();
        assertThat(read("Retry-After", value)).isNull();
    }

    @Test
    void noHeadersMeansNoHint() {
        assertThat(read()).isNull();
        assertThat(ServerHints.retryAfter(null, NOW)).isNull();
    }

    // ---------------------------------------------------------------- precedence

    @Test
    void xMsRetryAfterMsBeatsRetryAfterMsBeatsRetryAfter() {
        assertThat(read("x-ms-retry-after-ms", "100", "retry-after-ms", "200", "Retry-After", "3"))
                .isEqualTo(Duration.ofMillis(100));
        assertThat(read("retry-after-ms", "200", "Retry-After", "3")).isEqualTo(Duration.ofMillis(200));
        assertThat(read("x-ms-retry-after-ms", "100", "Retry-After", "3")).isEqualTo(Duration.ofMillis(100));
        assertThat(read("Retry-After", "3")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void precedenceDoesNotDependOnWhichIsLonger() {
        assertThat(read("x-ms-retry-after-ms", "9000", "retry-after-ms", "10", "Retry-After", "1"))
                .isEqualTo(Duration.ofSeconds(9));
        assertThat(read("x-ms-retry-after-ms", "0", "Retry-After", "60")).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest(name = "malformed \"{0}\" falls through")
    @ValueSource(strings = {"soon", "-1", "1.5", "", "  ", "Sat, 01 Mar 2025 12:00:30 GMT"})
    void malformedMillisecondHintsFallThroughToTheNextHeader(String malformed) {
        assertThat(read("x-ms-retry-after-ms", malformed, "retry-after-ms", "200", "Retry-After", "3"))
                .isEqualTo(Duration.ofMillis(200));
        assertThat(read("x-ms-retry-after-ms", malformed, "retry-after-ms", malformed, "Retry-After", "3"))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(read("x-ms-retry-after-ms", malformed, "retry-after-ms", malformed)).isNull();
    }

    @Test
    void millisecondHintsAreTrimmed() {
        assertThat(read("x-ms-retry-after-ms", " 1500 ")).isEqualTo(Duration.ofMillis(1500));
        assertThat(read("retry-after-ms", "\t250")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void millisecondHintsWithLeadingZeros() {
        assertThat(read("x-ms-retry-after-ms", "0000000000000250")).isEqualTo(Duration.ofMillis(250));
        assertThat(read("retry-after-ms", "0000000000001500")).isEqualTo(Duration.ofMillis(1500));
    }

    // ---------------------------------------------------------------- clamping

    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = {"86401", "999999999", "1000000000", "99999999999999999999999999"})
    void hugeRetryAfterClampsToOneDay(String value) {
        assertThat(read("Retry-After", value)).isEqualTo(ONE_DAY);
    }

    @ParameterizedTest(name = "ms hint: {0}")
    @ValueSource(strings = {"86400001", "999999999999", "1000000000000", "99999999999999999999999999"})
    void hugeMillisecondHintsClampToOneDay(String value) {
        assertThat(read("x-ms-retry-after-ms", value)).isEqualTo(ONE_DAY);
        assertThat(read("retry-after-ms", value)).isEqualTo(ONE_DAY);
    }

    @Test
    void farFutureHttpDateClampsToOneDay() {
        assertThat(read("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT")).isEqualTo(ONE_DAY);
        assertThat(read("Retry-After", httpDate(NOW.plus(ONE_DAY).plusSeconds(1)))).isEqualTo(ONE_DAY);
    }

    @Test
    void exactlyOneDayIsKept() {
        assertThat(read("Retry-After", "86400")).isEqualTo(ONE_DAY);
        assertThat(read("Retry-After", "86399")).isEqualTo(ONE_DAY.minusSeconds(1));
        assertThat(read("x-ms-retry-after-ms", "86399999")).isEqualTo(ONE_DAY.minusMillis(1));
    }

    // ---------------------------------------------------------------- property

    @Property
    void deltaSecondsAndTheEquivalentHttpDateAgree(@ForAll @IntRange(min = 0, max = 86400) int seconds) {
        String date = httpDate(NOW.plusSeconds(seconds));
        Duration expected = Duration.ofSeconds(seconds);

        assertThat(ServerHints.retryAfter(Integer.toString(seconds), NOW)).isEqualTo(expected);
        assertThat(ServerHints.retryAfter(date, NOW)).as("Retry-After: %s", date).isEqualTo(expected);
        assertThat(read("Retry-After", Integer.toString(seconds))).isEqualTo(read("Retry-After", date));
    }
}
