package dev.rebatch.node.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class CommandLineProperties {

    @Property
    void quotedWordsTokenizeBackToThemselves(@ForAll @NotEmpty @Size(max = 8) List<@StringLength(max = 12) String> words) {
        assertThat(CommandLine.tokenize(CommandLine.quote(words))).isEqualTo(words);
    }

    @Property
    void everyQuotingStyleTokenizesBack(@ForAll("shellWords") List<String> words,
            @ForAll("styles") List<Style> styles) {
        List<String> quoted = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            quoted.add(styles.get(i).quote(words.get(i)));
        }

        assertThat(CommandLine.tokenize(String.join(" \t", quoted))).isEqualTo(words);
    }

    @Property
    void anyTextEitherSplitsOrFailsWithACommandLineException(@ForAll("shellText") String text) {
        assertThatCode(() -> {
            try {
                CommandLine.tokenize(text);
            } catch (CommandLineException expected) {
                assertThat(expected.position()).isBetween(0, Math.max(0, text.length() - 1));
            }
        }).doesNotThrowAnyException();
    }

    /** Words rich in the characters the rules treat specially. */
    @Provide
    Arbitrary<List<String>> shellWords() {
        return Arbitraries.strings().withChars("ab $`\"'\\\n\t\r#*~|>").ofMaxLength(10).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> shellText() {
        return Arbitraries.strings().withChars("ab $`\"'\\\n\t#").ofMaxLength(30);
    }

    @Provide
    Arbitrary<List<Style>> styles() {
        return Arbitraries.of(Style.class).list().ofSize(8);
    }

    /** The ways a person writes one word on a shell-like line. */
    enum Style {
        SINGLE {
            @Override
            String quote(String word) {
                return CommandLine.quote(word);
            }
        },
        DOUBLE {
            @Override
            String quote(String word) {
                StringBuilder quoted = new StringBuilder("\"");
                for (char c : word.toCharArray()) {
                    if (c == '$' || c == '`' || c == '"' || c == '\\') {
                        quoted.append('\\');
                    }
                    quoted.append(c);
                }
                return quoted.append('"').toString();
            }
        },
        BACKSLASHES {
            @Override
            String quote(String word) {
                if (word.isEmpty()) {
                    return "''";
                }
                StringBuilder quoted = new StringBuilder();
                for (char c : word.toCharArray()) {
                    // Backslash-newline is a continuation, so a newline needs quotes.
                    quoted.append(c == '\n' ? "'\n'" : "\\" + c);
                }
                return quoted.toString();
            }
        };

        abstract String quote(String word);
    }
}
