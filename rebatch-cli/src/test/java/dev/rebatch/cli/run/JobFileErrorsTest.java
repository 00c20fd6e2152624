package dev.rebatch.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JobFileErrorsTest {

    private static final String JSON = """
            {"tasks": [
              {"id": "a", "commandLine": "x"}
            ]}
            """;
    private static final JsonPath FIRST = JsonPath.ROOT.property("tasks").index(0);

    private final JobFileErrors errors = new JobFileErrors(JSON.getBytes(StandardCharsets.UTF_8), "job.json");

    @Test
    void aProblem_isPlacedWhereItsValueStarts() {
        JobFileException bad = errors.at(FIRST.property("commandLine"), "is wrong");
        assertThat(bad.getMessage()).isEqualTo("job.json:2:30: tasks[0].commandLine: is wrong");
        assertThat(bad.path()).isEqualTo(FIRST.property("commandLine"));
    }

    @Test
    void aMissingValue_isPlacedAtItsDeepestParent() {
        JobFileException bad = errors.at(FIRST.property("constraints").property("maxTaskRetryCount"), "is missing");
        assertThat(bad.line()).isEqualTo(2);
        assertThat(bad.column()).isEqualTo(3);
    }

    @Test
    void aProblemInTheText_hasTheParsersPosition_andNoPath() {
        assertThat(errors.inText(3, 4, "not valid JSON").getMessage()).isEqualTo("job.json:3:4: not valid JSON");
        assertThat(errors.inText(0, 0, "the file is empty").getMessage()).isEqualTo("job.json: the file is empty");
        assertThat(errors.inText(3, 4, "x").path()).isNull();
    }

    @Test
    void aWrongValue_saysWhatWasFound_cutShortWhenLong() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        assertThat(errors.expected(FIRST, "a task", json.numberNode(1)).problem())
                .isEqualTo("expected a task, found 1");
        assertThat(errors.expected(FIRST, "a task", json.objectNode()).problem()).endsWith("found an object");
        assertThat(errors.expected(FIRST, "a task", json.arrayNode()).problem()).endsWith("found a list");
        assertThat(errors.expected(FIRST, "a task", MissingNode.getInstance()).problem()).endsWith("found nothing");
        assertThat(errors.expected(FIRST, "a task", null).problem()).endsWith("found nothing");
        String found = errors.expected(FIRST, "a task", json.textNode("x".repeat(100))).problem()
                .substring("expected a task, found ".length());
        assertThat(found).hasSize(60).startsWith("\"xxx").endsWith("x...");
    }

    @Test
    void anInvalidId_namesWhoseItIs() {
        assertThat(errors.invalidId(FIRST.property("id"), "a b", "task id").problem()).isEqualTo("\"a b\" is not a "
                + "valid task id: ids have 1 to 64 letters, digits, hyphens and underscores");
        assertThat(errors.invalidId(FIRST.property("id"), "a b", "task id", " (the id for i = 3)").problem())
                .endsWith("underscores (the id for i = 3)");
    }
}
