package dev.rebatch.cli.run;

/**
 * A job file that cannot be run, said the way compilers say it: {@code FILE:LINE:COLUMN: PATH: what is wrong}. The
 * line and column come from the parser where the text is not JSON, and from the path otherwise; either may be
 * unknown.
 */
public final class JobFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient JsonPath path;
    private final int line;
    private final int column;
    private final String problem;

    JobFileException(String source, JsonPath path, int line, int column, String problem) {
        super(format(source, path, line, column, problem));
        this.source = source;
        this.path = path;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** The file as the user named it. */
    public String source() {
        return source;
    }

    /** Where in the document, or {@code null} when the text is not JSON. */
    public JsonPath path() {
        return path;
    }

    /** The line, from 1; 0 when unknown. */
    public int line() {
        return line;
    }

    /** The column, from 1; 0 when unknown. */
    public int column() {
        return column;
    }

    /** What is wrong, without the place. */
    public String problem() {
        return problem;
    }

    private static String format(String source, JsonPath path, int line, int column, String problem) {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line);
            if (column > 0) {
                text.append(':').append(column);
            }
        }
        text.append(": ");
        if (path != null && !path.isRoot()) {
            text.append(path).append(": ");
        }
        return text.append(problem).toString();
    }
}
