package dev.rebatch.node.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void blanksSeparateWordsAndRunsOfThemCountOnce() {
        assertThat(CommandLine.tokenize("  python3\tscript.py \r\n --n  5 ")).containsExactly("python3", "script.py",
                "--n", "5");
    }

    @Test
    void theShellIdiomKeepsItsScriptInOneWord() {
        assertThat(CommandLine.tokenize("/bin/sh -c \"echo $AZ_BATCH_TASK_ID > out.txt; exit 3\""))
                .containsExactly("/bin/sh", "-c", "echo $AZ_BATCH_TASK_ID > out.txt; exit 3");
        assertThat(CommandLine.tokenize("/bin/bash -c 'for f in *.csv; do wc -l \"$f\"; done'"))
                .containsExactly("/bin/bash", "-c", "for f in *.csv; do wc -l \"$f\"; done");
    }

    @Test
    void singleQuotesKeepEverythingLiterally() {
        assertThat(CommandLine.tokenize("echo 'a \\\" b $X \\\\'")).containsExactly("echo", "a \\\" b $X \\\\");
    }

    @Test
    void doubleQuotesUnescapeOnlyDollarBacktickQuoteBackslashAndNewline() {
        assertThat(CommandLine.tokenize("echo \"\\$ \\` \\\" \\\\ \\n \\a\"")).containsExactly("echo", "$ ` \" \\ \\n \\a");
        assertThat(CommandLine.tokenize("echo \"one\\\ntwo\"")).containsExactly("echo", "onetwo");
        assertThat(CommandLine.tokenize("echo \"it's\"")).containsExactly("echo", "it's");
    }

    @Test
    void anUnquotedBackslashEscapesAnyCharacterAndJoinsLines() {
        assertThat(CommandLine.tokenize("touch my\\ file \\'x\\' a\\\\b")).containsExactly("touch", "my file", "'x'",
                "a\\b");
        assertThat(CommandLine.tokenize("echo one \\\n two")).containsExactly("echo", "one", "two");
    }

    @Test
    void adjacentPiecesFormOneWordAndEmptyQuotesAreEmptyWords() {
        assertThat(CommandLine.tokenize("a'b'\"c\"d\\ e")).containsExactly("ab" + "cd e");
        assertThat(CommandLine.tokenize("prog '' \"\" x")).containsExactly("prog", "", "", "x");
    }

    @Test
    void nothingIsExpandedRedirectedOrCommentedOut() {
        assertThat(CommandLine.tokenize("echo $HOME ~ *.txt > out | wc ; ls & # not a comment")).containsExactly(
                "echo", "$HOME", "~", "*.txt", ">", "out", "|", "wc", ";", "ls", "&", "#", "not", "a", "comment");
    }

    @Test
    void anUnclosedSingleQuoteSaysWhere() {
        assertThatThrownBy(() -> CommandLine.tokenize("echo 'abc"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> assertThat(e.position()).isEqualTo(5))
                .hasMessageContaining("single quote at position 5 is never closed");
    }

    @Test
    void anUnclosedDoubleQuoteSaysWhere() {
        assertThatThrownBy(() -> CommandLine.tokenize("sh -c \"echo hi"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> assertThat(e.position()).isEqualTo(6))
                .hasMessageContaining("double quote at position 6 is never closed");
        // An escaped quote does not close it.
        assertThatThrownBy(() -> CommandLine.tokenize("echo \"a\\\"")).isInstanceOf(CommandLineException.class);
    }

    @Test
    void aTrailingBackslashIsRefused() {
        assertThatThrownBy(() -> CommandLine.tokenize("echo a\\"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> assertThat(e.position()).isEqualTo(6))
                .hasMessageContaining("escapes nothing");
    }

    @Test
    void aLineWithoutWordsIsRefused() {
        assertThatThrownBy(() -> CommandLine.tokenize(" \t\n")).isInstanceOf(CommandLineException.class)
                .hasMessageContaining("names no program");
        assertThatThrownBy(() -> CommandLine.tokenize("")).isInstanceOf(CommandLineException.class);
    }

    @Test
    void quoteLeavesSafeWordsAloneAndSingleQuotesTheRest() {
        assertThat(CommandLine.quote(List.of("/usr/bin/env", "A=1", "x.csv", "it's", "", "two words")))
                .isEqualTo("/usr/bin/env A=1 x.csv 'it'\\''s' '' 'two words'");
    }
}
