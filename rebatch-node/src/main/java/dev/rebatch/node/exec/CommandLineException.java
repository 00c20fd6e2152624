package dev.rebatch.node.exec;

/** A command line that cannot be split into words: the message says what is wrong and where. */
public final class CommandLineException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int position;

    CommandLineException(String commandLine, int position, String problem) {
        super("Cannot split the command line into words: " + problem + " (command line: " + excerpt(commandLine) + ")");
        this.position = position;
    }

    /** Command lines may be 8192 characters long; a message needs the start only. */
    private static String excerpt(String commandLine) {
        return commandLine.length() <= 200 ? commandLine : commandLine.substring(0, 200) + "...";
    }

    /** The index in the command line where the problem starts. */
    public int position() {
        return position;
    }
}
