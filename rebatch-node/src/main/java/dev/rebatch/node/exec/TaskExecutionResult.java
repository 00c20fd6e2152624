package dev.rebatch.node.exec;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a task attempt ended (spec TaskExecutionResult), spelled as on the wire. */
public enum TaskExecutionResult {
    SUCCESS("success"),
    FAILURE("failure");

    private final String wireName;

    TaskExecutionResult(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
