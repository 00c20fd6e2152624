package dev.rebatch.cli.run;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * The known name a misspelt one was probably meant to be, so an unknown property's message can say which one to
 * write instead: a typo is the likeliest reason for a name the reader does not know.
 */
final class ClosestName {

    private ClosestName() {}

    /**
     * " (did you mean X?)" for the known name closest to {@code name}, ignoring case, when it is close: at most a
     * quarter of the name's letters (and at least 2) off. Empty when none is.
     */
    static String didYouMean(String name, Collection<String> known) {
        Optional<String> closest = known.stream()
                .min(Comparator.comparingInt(candidate -> distance(name.toLowerCase(Locale.ROOT),
                        candidate.toLowerCase(Locale.ROOT))));
        return closest.filter(candidate -> distance(name.toLowerCase(Locale.ROOT),
                candidate.toLowerCase(Locale.ROOT)) <= Math.max(2, name.length() / 4))
                .map(candidate -> " (did you mean \"" + candidate + "\"?)").orElse("");
    }

    /** Levenshtein distance: the insertions, deletions and substitutions that make {@code a} into {@code b}. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
