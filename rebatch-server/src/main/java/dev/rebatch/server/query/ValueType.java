package dev.rebatch.server.query;

/** The type of a filterable column, which decides the literal a comparison on it must use. */
enum ValueType {
    /** Text; compared as a String parameter. */
    TEXT("a string such as 'active'"),
    /** A 32-bit integer; compared as an Integer parameter. */
    INTEGER("an integer"),
    /** An instant stored as epoch microseconds; compared as a Long parameter. */
    TIMESTAMP("a datetime such as datetime'2024-01-01T00:00:00Z'");

    private final String expected;

    ValueType(String expected) {
        this.expected = expected;
    }

    /** What an error message says the property takes. */
    String expected() {
        return expected;
    }
}
