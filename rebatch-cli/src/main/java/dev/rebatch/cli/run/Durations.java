package dev.rebatch.cli.run;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write and read them: "90s", "10m", "1h30m", "500ms" (or ISO 8601 "PT1H"); "12.3 s". */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Parses a duration: parts of a number and a unit (ms, s, m, h, d), a plain number of seconds, or ISO 8601.
     *
     * @throws IllegalArgumentException when it is none of these, or not positive
     */
    public static Duration parse(String text) {
        String input = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        if (input.startsWith("p")) {
            try {
                duration = Duration.parse(input.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException notIso) {
                throw invalid(text);
            }
        } else if (input.matches("\\d+(\\.\\d+)?")) {
            duration = seconds(new BigDecimal(input));
        } else {
            Matcher part = PART.matcher(input);
            duration = Duration.ZERO;
            int at = 0;
            while (part.lookingAt()) {
                BigDecimal amount = new BigDecimal(part.group(1));
                duration = duration.plus(switch (part.group(2)) {
                    case "ms" -> seconds(amount.movePointLeft(3));
                    case "s" -> seconds(amount);
                    case "m" -> seconds(amount.multiply(BigDecimal.valueOf(60)));
                    case "h" -> seconds(amount.multiply(BigDecimal.valueOf(3600)));
                    default -> seconds(amount.multiply(BigDecimal.valueOf(86_400)));
                });
                at = part.end();
                part.region(at, input.length());
            }
            if (at == 0 || at != input.length()) {
                throw invalid(text);
            }
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("the duration must be more than zero, was " + text);
        }
        return duration;
    }

    /** "0.4 s", "12.3 s", "4 min 5 s", "2 h 3 min". */
    public static String human(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    private static Duration seconds(BigDecimal seconds) {
        try {
            return Duration.ofNanos(seconds.movePointRight(9).toBigInteger().longValueExact());
        } catch (ArithmeticException tooLong) {
            throw new IllegalArgumentException("the duration is too long: " + seconds + " s");
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not a duration: " + text + " (write it like 90s, 10m, 1h30m or 500ms)");
    }
}
