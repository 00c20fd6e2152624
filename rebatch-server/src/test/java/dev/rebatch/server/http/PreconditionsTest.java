package dev.rebatch.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.model.BatchError;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.http.Preconditions.Access;
import dev.rebatch.server.http.Preconditions.Outcome;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PreconditionsTest {

    private static final String ETAG = "0x8D4100FC49F0278";
    private static final String OTHER_ETAG = "0x8D4100FC49F0279";
    /** Sub-second on purpose: clients only ever saw it truncated to the second, in Last-Modified. */
    private static final Instant LAST_MODIFIED = Instant.parse("2025-03-01T12:00:00.700Z");
    /** Last-Modified as the client saw it. */
    private static final String SEEN = httpDate(LAST_MODIFIED);
    /** A second before Last-Modified: the resource changed since. */
    private static final String BEFORE = httpDate(LAST_MODIFIED.minusSeconds(1));
    private static final String AFTER = httpDate(LAST_MODIFIED.plusSeconds(1));

    private static String httpDate(Instant at) {
        return EntityResponses.httpDate(at);
    }

    private static Outcome evaluate(Access access, String ifMatch, String ifNoneMatch, String ifModifiedSince,
            String ifUnmodifiedSince) {
        return Preconditions.parse(access, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince)
                .evaluate(ETAG, LAST_MODIFIED);
    }

    private static Outcome single(Access access, String header, String value) {
        return switch (header) {
            case "If-Match" -> evaluate(access, value, null, null, null);
            case "If-None-Match" -> evaluate(access, null, value, null, null);
            case "If-Modified-Since" -> evaluate(access, null, null, value, null);
            case "If-Unmodified-Since" -> evaluate(access, null, null, null, value);
            default -> throw new IllegalArgumentException(header);
        };
    }

    private static BatchException refusal(Access access, String ifMatch, String ifNoneMatch, String ifModifiedSince,
            String ifUnmodifiedSince) {
        try {
            evaluate(access, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince);
        } catch (BatchException refused) {
            return refused;
        }
        throw new AssertionError("expected a refusal");
    }

    private static String detail(BatchException refusal, String key) {
        return refusal.details().stream().filter(d -> d.key().equals(key)).map(BatchError.Detail::value).findFirst()
                .orElse(null);
    }

    // ---------------------------------------------------------------- the single-header matrix

    /**
     * Every header alone, for reads and writes, with a value that holds for the current resource ("current": its
     * ETag, or its Last-Modified) and one that does not ("stale": another ETag, or a second before).
     */
    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "READ,  If-Match,            current, PROCEED",
            "READ,  If-Match,            stale,   CONDITION_NOT_MET",
            "READ,  If-None-Match,       current, NOT_MODIFIED",
            "READ,  If-None-Match,       stale,   PROCEED",
            "READ,  If-Modified-Since,   current, NOT_MODIFIED",
            "READ,  If-Modified-Since,   stale,   PROCEED",
            "READ,  If-Unmodified-Since, current, PROCEED",
            "READ,  If-Unmodified-Since, stale,   CONDITION_NOT_MET",
            "WRITE, If-Match,            current, PROCEED",
            "WRITE, If-Match,            stale,   CONDITION_NOT_MET",
            "WRITE, If-None-Match,       current, CONDITION_NOT_MET",
            "WRITE, If-None-Match,       stale,   PROCEED",
            "WRITE, If-Modified-Since,   current, CONDITION_NOT_MET",
            "WRITE, If-Modified-Since,   stale,   PROCEED",
            "WRITE, If-Unmodified-Since, current, PROCEED",
            "WRITE, If-Unmodified-Since, stale,   CONDITION_NOT_MET",
    })
    void singleHeaderMatrix(Access access, String header, String value, Outcome expected) {
        boolean tag = header.endsWith("Match");
        String headerValue = switch (value) {
            case "current" -> tag ? ETAG : SEEN;
            case "stale" -> tag ? OTHER_ETAG : BEFORE;
            default -> throw new IllegalArgumentException(value);
        };
        assertThat(single(access, header, headerValue)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void noConditionsProceed(Access access) {
        assertThat(evaluate(access, null, null, null, null)).isEqualTo(Outcome.PROCEED);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void datesLaterThanLastModified(Access access) {
        assertThat(single(access, "If-Modified-Since", AFTER))
                .isEqualTo(access == Access.READ ? Outcome.NOT_MODIFIED : Outcome.CONDITION_NOT_MET);
        assertThat(single(access, "If-Unmodified-Since", AFTER)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void lastModifiedIsComparedAtSecondPrecision() {
        // LAST_MODIFIED is 12:00:00.700; the client's 12:00:00 must count as "not modified since".
        assertThat(SEEN).isEqualTo("Sat, 1 Mar 2025 12:00:00 GMT");
        assertThat(single(Access.WRITE, "If-Unmodified-Since", SEEN)).isEqualTo(Outcome.PROCEED);
        assertThat(single(Access.READ, "If-Modified-Since", SEEN)).isEqualTo(Outcome.NOT_MODIFIED);
    }

    // ---------------------------------------------------------------- ETag forms

    @ParameterizedTest
    @EnumSource(Access.class)
    void starMatchesTheExistingResource(Access access) {
        assertThat(single(access, "If-Match", "*")).isEqualTo(Outcome.PROCEED);
        assertThat(single(access, "If-None-Match", " * "))
                .isEqualTo(access == Access.READ ? Outcome.NOT_MODIFIED : Outcome.CONDITION_NOT_MET);
    }

    @ParameterizedTest
    @ValueSource(strings = {ETAG, "\"" + ETAG + "\"", " \"" + ETAG + "\" "})
    void quotedAndUnquotedTagsMatch(String sent) {
        assertThat(single(Access.WRITE, "If-Match", sent)).isEqualTo(Outcome.PROCEED);
        assertThat(single(Access.READ, "If-None-Match", sent)).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void theResourceTagMayBeQuotedToo() {
        Preconditions conditions = Preconditions.parse(Access.WRITE, ETAG, null, null, null);
        assertThat(conditions.evaluate("\"" + ETAG + "\"", LAST_MODIFIED)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void anyTagOfAListMatches() {
        String list = "\"" + OTHER_ETAG + "\", " + ETAG;
        assertThat(single(Access.WRITE, "If-Match", list)).isEqualTo(Outcome.PROCEED);
        assertThat(single(Access.READ, "If-None-Match", list)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(single(Access.WRITE, "If-Match", "\"" + OTHER_ETAG + "\", 0x1")).isEqualTo(Outcome.CONDITION_NOT_MET);
    }

    @Test
    void weakTagsMatchOnlyIfNoneMatch() {
        String weak = "W/\"" + ETAG + "\"";
        assertThat(single(Access.WRITE, "If-Match", weak)).isEqualTo(Outcome.CONDITION_NOT_MET);
        assertThat(single(Access.READ, "If-None-Match", weak)).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void tagsAreComparedExactly() {
        assertThat(single(Access.WRITE, "If-Match", ETAG.toLowerCase(java.util.Locale.ROOT)))
                .isEqualTo(Outcome.CONDITION_NOT_MET);
        assertThat(single(Access.WRITE, "If-Match", ETAG + "0")).isEqualTo(Outcome.CONDITION_NOT_MET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "\"", "\"0x1", "0x1\"", "0x 1", "\"\"", "W/", "*, 0x1", "0x1,", "0x\"1"})
    void malformedTagsAreInvalidHeaderValues(String value) {
        for (String header : List.of("If-Match", "If-None-Match")) {
            assertThatThrownBy(() -> single(Access.WRITE, header, value))
                    .isInstanceOfSatisfying(BatchException.class, refused -> {
                        assertThat(refused.code()).isEqualTo(BatchErrorCode.InvalidHeaderValue);
                        assertThat(detail(refused, "HeaderName")).isEqualTo(header);
                        assertThat(detail(refused, "HeaderValue")).isEqualTo(value);
                    });
        }
    }

    // ---------------------------------------------------------------- dates

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "", "2025-03-01T12:00:00Z", "Sat, 1 Mar 2025 12:00:00", "Sat, 32 Mar 2025 12:00:00 GMT",
            "1740830400"})
    void unparseableDatesAreInvalidHeaderValuesNamingTheHeader(String value) {
        for (String header : List.of("If-Modified-Since", "If-Unmodified-Since")) {
            assertThatThrownBy(() -> single(Access.READ, header, value))
                    .isInstanceOfSatisfying(BatchException.class, refused -> {
                        assertThat(refused.code()).isEqualTo(BatchErrorCode.InvalidHeaderValue);
                        assertThat(refused.code().httpStatus()).isEqualTo(400);
                        assertThat(detail(refused, "HeaderName")).isEqualTo(header);
                        assertThat(detail(refused, "HeaderValue")).isEqualTo(value);
                    });
        }
    }

    @Test
    void datesWithANumericOffsetAreRfc1123Too() {
        String inParis = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                LAST_MODIFIED.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).atOffset(ZoneOffset.ofHours(1)));
        assertThat(inParis).endsWith("+0100");
        assertThat(single(Access.READ, "If-Modified-Since", inParis)).isEqualTo(Outcome.NOT_MODIFIED);
    }

    /** For a read, If-Modified-Since and If-Unmodified-Since with one date always disagree on "changed since". */
    @Property
    void modifiedAndUnmodifiedSinceAreComplementaryForReads(@ForAll @LongRange(min = -100_000, max = 100_000) long offsetSeconds,
            @ForAll @LongRange(min = 0, max = 999) long millis) {
        Instant lastModified = Instant.parse("2025-03-01T12:00:00Z").plusMillis(millis);
        String date = httpDate(Instant.parse("2025-03-01T12:00:00Z").plusSeconds(offsetSeconds));
        Outcome modifiedSince = Preconditions.parse(Access.READ, null, null, date, null).evaluate(ETAG, lastModified);
        Outcome unmodifiedSince = Preconditions.parse(Access.READ, null, null, null, date).evaluate(ETAG, lastModified);
        boolean changed = offsetSeconds < 0;
        assertThat(modifiedSince).isEqualTo(changed ? Outcome.PROCEED : Outcome.NOT_MODIFIED);
        assertThat(unmodifiedSince).isEqualTo(changed ? Outcome.CONDITION_NOT_MET : Outcome.PROCEED);
    }

    // ---------------------------------------------------------------- combinations

    /** Every subset of the four headers, read and write: allowed exactly when it stays within one pair. */
    @ParameterizedTest
    @EnumSource(Access.class)
    void onlyTheTwoPairsMayBeCombined(Access access) {
        for (int subset = 0; subset < 16; subset++) {
            String ifMatch = (subset & 1) != 0 ? ETAG : null;
            String ifUnmodifiedSince = (subset & 2) != 0 ? SEEN : null;
            String ifNoneMatch = (subset & 4) != 0 ? OTHER_ETAG : null;
            String ifModifiedSince = (subset & 8) != 0 ? BEFORE : null;
            boolean forbidden = (subset & 3) != 0 && (subset & 12) != 0;
            if (forbidden) {
                BatchException refused = refusal(access, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince);
                assertThat(refused.code()).isEqualTo(BatchErrorCode.MultipleConditionHeadersNotSupported);
                assertThat(refused.code().httpStatus()).isEqualTo(400);
                List<String> named = new ArrayList<>();
                for (String header : detail(refused, "HeaderNames").split(", ")) {
                    named.add(header);
                }
                assertThat(named).hasSize(Integer.bitCount(subset));
            } else {
                // Every value here holds for the resource, so an allowed subset always proceeds.
                assertThat(evaluate(access, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince))
                        .as("subset %s", subset).isEqualTo(Outcome.PROCEED);
            }
        }
    }

    @Test
    void combinationsAreRefusedBeforeDatesAreParsed() {
        BatchException refused = refusal(Access.READ, ETAG, null, "not a date", null);
        assertThat(refused.code()).isEqualTo(BatchErrorCode.MultipleConditionHeadersNotSupported);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void ifNoneMatchWinsOverIfModifiedSince(Access access) {
        // The tag says "changed", the date says "unchanged": the tag decides.
        assertThat(evaluate(access, null, OTHER_ETAG, SEEN, null)).isEqualTo(Outcome.PROCEED);
        // The tag says "unchanged", the date says "changed": the tag decides.
        assertThat(evaluate(access, null, ETAG, BEFORE, null))
                .isEqualTo(access == Access.READ ? Outcome.NOT_MODIFIED : Outcome.CONDITION_NOT_MET);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void ifMatchWinsOverIfUnmodifiedSince(Access access) {
        assertThat(evaluate(access, ETAG, null, null, BEFORE)).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate(access, OTHER_ETAG, null, null, SEEN)).isEqualTo(Outcome.CONDITION_NOT_MET);
    }

    @Test
    void theLosingHeaderOfAPairIsStillValidated() {
        BatchException refused = refusal(Access.READ, null, ETAG, "not a date", null);
        assertThat(refused.code()).isEqualTo(BatchErrorCode.InvalidHeaderValue);
        assertThat(detail(refused, "HeaderName")).isEqualTo("If-Modified-Since");
    }

    // ---------------------------------------------------------------- enforce and the method

    @Test
    void enforceSignalsNotModifiedWithTheValidators() {
        Preconditions conditions = Preconditions.parse(Access.READ, null, ETAG, null, null);
        assertThatThrownBy(() -> conditions.enforce(ETAG, LAST_MODIFIED))
                .isInstanceOfSatisfying(NotModified.class, unchanged -> {
                    assertThat(unchanged.etag()).isEqualTo(ETAG);
                    assertThat(unchanged.lastModified()).isEqualTo(LAST_MODIFIED);
                });
    }

    @Test
    void enforceRefusesAnUnmetConditionWith412() {
        Preconditions conditions = Preconditions.parse(Access.WRITE, OTHER_ETAG, null, null, null);
        assertThatThrownBy(() -> conditions.enforce(ETAG, LAST_MODIFIED))
                .isInstanceOfSatisfying(BatchException.class, refused -> {
                    assertThat(refused.code()).isEqualTo(BatchErrorCode.ConditionNotMet);
                    assertThat(refused.code().httpStatus()).isEqualTo(412);
                });
    }

    @Test
    void enforceReturnsWhenTheConditionsHold() {
        Preconditions conditions = Preconditions.parse(Access.WRITE, ETAG, null, null, null);
        conditions.enforce(ETAG, LAST_MODIFIED); // no exception: the operation proceeds
        assertThat(conditions.evaluate(ETAG, LAST_MODIFIED)).isEqualTo(Outcome.PROCEED);
    }

    @ParameterizedTest
    @CsvSource({"GET, READ", "HEAD, READ", "get, READ", "POST, WRITE", "PUT, WRITE", "PATCH, WRITE", "DELETE, WRITE"})
    void accessFollowsTheMethod(String method, Access expected) {
        assertThat(Access.of(method)).isEqualTo(expected);
    }
}
