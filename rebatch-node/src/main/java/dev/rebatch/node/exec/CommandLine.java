package dev.rebatch.node.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Splits a task's command line into the program and its arguments the way a Batch Linux node does: the command line
 * does not run under a shell ("If you want to take advantage of such features, you should invoke the shell in the
 * command line, for example using /bin/sh -c MyCommand", spec TaskAddParameter.commandLine), so only the quoting of
 * a POSIX shell applies:
 *
 * <ul>
 *   <li>unquoted blanks (space, tab, carriage return, newline) separate words; runs of them count as one;</li>
 *   <li>{@code '...'} keeps everything up to the next single quote literally, backslashes included;</li>
 *   <li>{@code "..."} keeps everything literally except that a backslash before {@code $ ` " \} or a newline escapes
 *       it (backslash-newline disappears); before anything else the backslash stays;</li>
 *   <li>an unquoted backslash keeps the next character literally; backslash-newline disappears (a continuation);</li>
 *   <li>quoted and unquoted pieces next to each other form one word, and {@code ''} or {@code ""} is an empty word.</li>
 * </ul>
 *
 * <p>Nothing is expanded or interpreted: {@code $VAR}, {@code ~}, {@code *}, {@code >}, {@code |}, {@code ;},
 * {@code &} and {@code #} are ordinary characters of a word. That is exactly why users write
 * {@code /bin/sh -c "..."} when they want a shell.
 */
public final class CommandLine {

    /** Words made only of these need no quoting; everything else is single-quoted by {@link #quote}. */
    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private CommandLine() {}

    /**
     * @return the program followed by its arguments, never empty
     * @throws CommandLineException when a quote is never closed, the line ends in a lone backslash, or there is no
     *                              word at all
     */
    public static List<String> tokenize(String commandLine) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        // A word exists once anything, even an empty quote, has started it; "" must give an empty word.
        boolean inWord = false;
        int i = 0;
        int length = commandLine.length();
        while (i < length) {
            char c = commandLine.charAt(i);
            if (isBlank(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int close = commandLine.indexOf('\'', i + 1);
                if (close < 0) {
                    throw new CommandLineException(commandLine, i,
                            "the single quote at position " + i + " is never closed");
                }
                word.append(commandLine, i + 1, close);
                inWord = true;
                i = close + 1;
            } else if (c == '"') {
                i = readDoubleQuoted(commandLine, i, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= length) {
                    throw new CommandLineException(commandLine, i,
                            "the backslash at position " + i + " ends the command line and escapes nothing");
                }
                char next = commandLine.charAt(i + 1);
                if (next != '\n') {
                    word.append(next);
                    inWord = true;
                }
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new CommandLineException(commandLine, 0, "the command line names no program");
        }
        return List.copyOf(words);
    }

    /**
     * The inverse of {@link #tokenize}: a command line whose words are exactly {@code words}. Words that need it are
     * single-quoted (a single quote inside becomes {@code '\''}).
     */
    public static String quote(List<String> words) {
        StringJoiner line = new StringJoiner(" ");
        for (String word : words) {
            line.add(quote(word));
        }
        return line.toString();
    }

    /** One word, quoted so that {@link #tokenize} reads it back as exactly one word. */
    public static String quote(String word) {
        if (SAFE_WORD.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Reads {@code "..."} starting at the opening quote; returns the index after the closing quote. */
    private static int readDoubleQuoted(String commandLine, int open, StringBuilder word) {
        int i = open + 1;
        while (i < commandLine.length()) {
            char c = commandLine.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < commandLine.length()) {
                char next = commandLine.charAt(i + 1);
                if (next == '$' || next == '`' || next == '"' || next == '\\') {
                    word.append(next);
                    i += 2;
                    continue;
                }
                if (next == '\n') {
                    i += 2;
                    continue;
                }
            }
            word.append(c);
            i++;
        }
        throw new CommandLineException(commandLine, open, "the double quote at position " + open + " is never closed");
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
