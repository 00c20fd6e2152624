package dev.rebatch.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.model.task.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class TaskTemplateProperties {

    @Property(tries = 200)
    void aRange_makesOneTaskPerValue_inOrder_withDistinctIds(@ForAll @IntRange(min = -1000, max = 1000) int start,
            @ForAll @IntRange(min = 0, max = 300) int length) throws Exception {
        int end = start + length;
        JobFile file = JobFile.parse(("{\"taskTemplate\": {\"idPattern\": \"t{i}\", \"commandLine\": \"/bin/echo {i}\","
                + " \"range\": {\"start\": " + start + ", \"end\": " + end + "}}}").getBytes(StandardCharsets.UTF_8),
                "job.json");
        List<TaskSpec> tasks = file.tasks();
        assertThat(tasks).hasSize(length + 1);
        Set<String> ids = new HashSet<>();
        for (int k = 0; k <= length; k++) {
            int i = start + k;
            assertThat(tasks.get(k).id()).isEqualTo("t" + i);
            assertThat(tasks.get(k).commandLine()).isEqualTo("/bin/echo " + i);
            ids.add(tasks.get(k).id());
        }
        assertThat(ids).hasSize(length + 1);
    }

    @Property(tries = 300)
    void zeroPadding_givesAtLeastTheWidth_andReadsBackAsI(@ForAll @IntRange(min = 0, max = 10_000_000) int i,
            @ForAll @IntRange(min = 1, max = 12) int width) {
        String padded = TaskTemplate.substitute("{i:0" + width + "}", i);
        assertThat(padded.length()).isEqualTo(Math.max(width, Integer.toString(i).length()));
        assertThat(padded).matches("[0-9]+");
        assertThat(Integer.parseInt(padded)).isEqualTo(i);
    }

    @Property(tries = 200)
    void paddedIds_sortAsTheirNumbers(@ForAll @IntRange(min = 0, max = 99_998) int i) {
        String a = TaskTemplate.substitute("f{i:05}", i);
        String b = TaskTemplate.substitute("f{i:05}", i + 1);
        assertThat(a.compareTo(b)).isNegative();
    }

    @Property(tries = 200)
    void textWithoutPlaceholders_isLeftAsItIs(@ForAll @AlphaChars @StringLength(max = 40) String text,
            @ForAll int i) {
        assertThat(TaskTemplate.substitute(text, i)).isSameAs(text);
        assertThat(TaskTemplate.substitute("${i} $" + text, i)).isEqualTo("${i} $" + text);
    }

    @Example
    void everyPlaceholderIsReplaced_butNotAShellVariable() {
        assertThat(TaskTemplate.substitute("{i}-{i:03}-${i}-{j}-{i:03", 7)).isEqualTo("7-007-${i}-{j}-{i:03");
        assertThat(TaskTemplate.substitute("{i:03}", -5)).isEqualTo("-05");
        assertThat(TaskTemplate.hasPlaceholder("${i}")).isFalse();
        assertThat(TaskTemplate.hasPlaceholder("a{i}")).isTrue();
        assertThatThrownBy(() -> TaskTemplate.substitute("{i:5}", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("{i:5} is not a placeholder");
        assertThatThrownBy(() -> TaskTemplate.substitute("{i:}", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void aTemplateRefusesABackwardsOrHugeRange() {
        TaskSpec base = TaskSpec.of(null, "x");
        assertThatThrownBy(() -> new TaskTemplate("t{i}", 2, 1, base)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskTemplate("t{i}", 0, TaskTemplate.MAX_TASKS, base))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new TaskTemplate("t{i}", Integer.MAX_VALUE - 1, Integer.MAX_VALUE, base).expand())
                .extracting(TaskSpec::id).containsExactly("t2147483646", "t2147483647");
    }
}
