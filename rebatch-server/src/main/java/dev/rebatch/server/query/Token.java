package dev.rebatch.server.query;

/**
 * One lexical unit of a filter.
 *
 * @param kind     what it is
 * @param text     exactly as the client wrote it (for error messages)
 * @param position 0-based offset of its first character
 * @param value    the decoded value: the string of a STRING, the Long of an INTEGER, the Instant of a DATETIME,
 *                 otherwise null
 */
record Token(Kind kind, String text, int position, Object value) {

    enum Kind {
        /** An identifier, property path ("executionInfo/exitCode") or keyword ("and", "eq", "startswith"). */
        WORD,
        STRING,
        INTEGER,
        DATETIME,
        LPAREN,
        RPAREN,
        COMMA,
        END
    }

    boolean isWord(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    /** How an error message shows this token. */
    String describe() {
        return kind == Kind.END ? "end of filter" : "'" + text + "'";
    }
}
