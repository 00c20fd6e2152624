package dev.rebatch.server.query;

/**
 * A {@code $filter} the service cannot evaluate: malformed, too long or deep, or naming a property, operator,
 * function or literal type the resource kind does not support. The HTTP layer answers it with 400
 * InvalidQueryParameterValue naming {@code $filter}; {@link #term()} is the part of the filter to blame, so the
 * client sees which word to fix.
 */
public final class FilterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String term;
    private final int position;

    /**
     * @param message  the whole explanation, already naming the term
     * @param term     the offending term as the client wrote it ("" at the end of the input or for the whole filter)
     * @param position its 0-based offset in the filter, or -1 when the error is not about one place (a property
     *                 the compiler rejects is judged after parsing, where offsets are no longer kept)
     */
    public FilterException(String message, String term, int position) {
        super(message);
        this.term = term;
        this.position = position;
    }

    public String term() {
        return term;
    }

    /** 0-based offset of {@link #term()} in the filter, or -1. */
    public int position() {
        return position;
    }
}
