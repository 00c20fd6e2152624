package dev.rebatch.server.query;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Splits a filter into tokens; the last one is always END. */
final class FilterLexer {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private final String input;
    private int pos;

    private FilterLexer(String input) {
        this.input = input;
    }

    static List<Token> tokenize(String input) {
        return new FilterLexer(input).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (pos >= input.length()) {
                tokens.add(new Token(Token.Kind.END, "", pos, null));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = pos;
        char c = input.charAt(pos);
        switch (c) {
            case '(' -> {
                pos++;
                return new Token(Token.Kind.LPAREN, "(", start, null);
            }
            case ')' -> {
                pos++;
                return new Token(Token.Kind.RPAREN, ")", start, null);
            }
            case ',' -> {
                pos++;
                return new Token(Token.Kind.COMMA, ",", start, null);
            }
            case '\'' -> {
                String value = quoted();
                return new Token(Token.Kind.STRING, input.substring(start, pos), start, value);
            }
            default -> {
                if (isWordStart(c)) {
                    return word();
                }
                if (c == '-' || isDigit(c)) {
                    return numberOrDateTime();
                }
                throw new FilterException(
                        "unexpected character '" + c + "' at position " + start, String.valueOf(c), start);
            }
        }
    }

    /** A word, or a typed literal such as {@code datetime'...'} when a quote follows the word directly. */
    private Token word() {
        int start = pos;
        pos++;
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (isWordPart(c)) {
                pos++;
            } else if (c == '/' && pos + 1 < input.length() && isWordStart(input.charAt(pos + 1))) {
                pos++; // a property path: executionInfo/exitCode
            } else {
                break;
            }
        }
        String word = input.substring(start, pos);
        boolean typed = word.equalsIgnoreCase("datetime") || word.equalsIgnoreCase("datetimeoffset");
        if (typed && pos < input.length() && input.charAt(pos) == '\'') {
            String body = quoted();
            String text = input.substring(start, pos);
            Instant instant = parseDateTime(body).orElseThrow(() -> new FilterException(
                    "malformed datetime " + text + " at position " + start
                            + ": expected ISO-8601 such as datetime'2024-01-01T00:00:00Z'",
                    text, start));
            return new Token(Token.Kind.DATETIME, input.substring(start, pos), start, instant);
        }
        return new Token(Token.Kind.WORD, word, start, null);
    }

    /**
     * An integer, or a bare ISO-8601 instant ({@code 2024-01-01T00:00:00Z}): both start with a digit or a minus,
     * so the whole run of characters that may belong to either is read first and then classified.
     */
    private Token numberOrDateTime() {
        int start = pos;
        while (pos < input.length() && isNumberOrDateTimePart(input.charAt(pos))) {
            pos++;
        }
        String text = input.substring(start, pos);
        if (INTEGER.matcher(text).matches()) {
            try {
                return new Token(Token.Kind.INTEGER, text, start, Long.parseLong(text));
            } catch (NumberFormatException tooLong) {
                throw new FilterException("integer '" + text + "' at position " + start + " is out of range",
                        text, start);
            }
        }
        Instant instant = parseDateTime(text).orElseThrow(() -> new FilterException(
                "malformed literal '" + text + "' at position " + start
                        + ": expected an integer or an ISO-8601 date and time such as 2024-01-01T00:00:00Z",
                text, start));
        return new Token(Token.Kind.DATETIME, text, start, instant);
    }

    /** Reads a single-quoted string starting at the opening quote; {@code ''} inside stands for one quote. */
    private String quoted() {
        int start = pos;
        pos++;
        StringBuilder value = new StringBuilder();
        while (pos < input.length()) {
            char c = input.charAt(pos++);
            if (c != '\'') {
                value.append(c);
            } else if (pos < input.length() && input.charAt(pos) == '\'') {
                value.append('\'');
                pos++;
            } else {
                return value.toString();
            }
        }
        String rest = input.substring(start);
        throw new FilterException("unterminated string " + rest + " starting at position " + start, rest, start);
    }

    /**
     * An instant with an offset ({@code Z}, {@code +02:00}), or without one, which OData v2 clients send
     * ({@code datetime'2024-01-01T00:00:00'}) and which, like Batch, we read as UTC.
     */
    static Optional<Instant> parseDateTime(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException withoutOffset) {
            try {
                return Optional.of(
                        LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notADateTime) {
                return Optional.empty();
            }
        }
    }

    private void skipWhitespace() {
        while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || isDigit(c);
    }

    private static boolean isNumberOrDateTimePart(char c) {
        return isWordPart(c) || c == '-' || c == '+' || c == ':' || c == '.';
    }
}
