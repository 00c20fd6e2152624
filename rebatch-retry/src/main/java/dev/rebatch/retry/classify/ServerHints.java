package dev.rebatch.retry.classify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads how long the service asked the client to wait. Checked in the order azure-core uses:
 * {@code x-ms-retry-after-ms}, {@code retry-after-ms}, then {@code Retry-After} as delta-seconds or an HTTP-date.
 */
public final class ServerHints {

    /** Hints beyond this are treated as this: no real service asks for more, and it keeps arithmetic in range. */
    static final Duration LONGEST_HINT = Duration.ofDays(1);

    private ServerHints() {}

    /** The requested wait, or {@code null} when the response carries no readable hint. */
    public static Duration read(HttpFailure response, Instant now) {
        Duration hint = millis(response.header("x-ms-retry-after-ms"));
        if (hint == null) {
            hint = millis(response.header("retry-after-ms"));
        }
        if (hint == null) {
            hint = retryAfter(response.header("Retry-After"), now);
        }
        return hint == null ? null : min(hint, LONGEST_HINT);
    }

    /** {@code Retry-After}: delta-seconds or an HTTP-date (RFC 9110 10.2.3). A date in the past means no wait. */
    public static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (isDigits(trimmed)) {
            return significantDigits(trimmed) > 9 ? LONGEST_HINT : Duration.ofSeconds(Long.parseLong(trimmed));
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration until = Duration.between(now, at);
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException notADate) {
            return null; // A malformed hint is ignored, as azure-core and Polly do; backoff still applies.
        }
    }

    private static Duration millis(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (!isDigits(trimmed)) {
            return null;
        }
        return significantDigits(trimmed) > 12 ? LONGEST_HINT : Duration.ofMillis(Long.parseLong(trimmed));
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The number of digits after any leading zeros: "0005" is 5 and must not count as a huge number. */
    private static int significantDigits(String digits) {
        int first = 0;
        while (first < digits.length() - 1 && digits.charAt(first) == '0') {
            first++;
        }
        return digits.length() - first;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
