package dev.rebatch.node.exec;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whose fault a task failure is (spec ErrorCategory), spelled as on the wire. */
public enum ErrorCategory {
    USER_ERROR("usererror"),
    SERVER_ERROR("servererror");

    private final String wireName;

    ErrorCategory(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
