package dev.rebatch.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A task key takes exactly the Batch ids: what the pattern in Batch's documentation accepts, and nothing else. */
class TaskKeyProperties {

    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Property(tries = 2_000)
    void anIdIsAcceptedExactlyWhenItIsABatchId(@ForAll("nearlyIds") String id) {
        if (BATCH_ID.matcher(id).matches()) {
            assertThat(new TaskKey(id, id).taskId()).isEqualTo(id);
        } else {
            assertThatIllegalArgumentException().isThrownBy(() -> new TaskKey("job", id)).withMessageContaining("taskId");
            assertThatIllegalArgumentException().isThrownBy(() -> new TaskKey(id, "task")).withMessageContaining("jobId");
        }
    }

    /** Mostly id characters, lengths around the limits, and now and then one that is not: '.', '/', 'é', ' '... */
    @Provide
    Arbitrary<String> nearlyIds() {
        Arbitrary<Character> idChars = Arbitraries.chars().alpha().numeric().with('_', '-');
        Arbitrary<Character> others = Arbitraries.of('.', '/', '\\', ' ', 'é', 'ß', '\u0000', ':', '+', '\u212A');
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(20, idChars),
                        net.jqwik.api.Tuple.of(1, others))
                .list().ofMinSize(0).ofMaxSize(70)
                .map(chars -> chars.stream().map(String::valueOf).reduce("", String::concat));
    }
}
