package dev.rebatch.server;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code ServerMain [--host H] [--port N] [--data DIR] [--store JDBC-URL] [--faults FILE]}: runs the service until
 * stopped. Kept for whatever starts the service jar directly; {@code ./rebatch server} (the {@code rebatch} command
 * in rebatch-cli) takes the same flags and prints the same banner, both through {@link ServerLauncher}.
 */
public final class ServerMain {

    static final int DEFAULT_PORT = ServerLauncher.DEFAULT_PORT;

    private ServerMain() {}

    /** The parsed command line. */
    record Options(String host, int port, Path dataDir, String storeUrl, Path faultsFile) {

        static Options parse(String[] args) {
            String host = ServerLauncher.DEFAULT_HOST;
            int port = DEFAULT_PORT;
            Path data = ServerLauncher.defaultDataDir();
            String store = null;
            Path faults = null;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    throw new UsageException(null);
                }
                if (i + 1 >= args.length) {
                    throw new UsageException(flag + " needs a value.");
                }
                String value = args[++i];
                switch (flag) {
                    case "--host" -> host = value;
                    case "--port" -> port = parsePort(value);
                    case "--data" -> data = Path.of(value);
                    case "--store" -> store = value;
                    case "--faults" -> faults = Path.of(value);
                    default -> throw new UsageException("Unknown option " + flag + ".");
                }
            }
            return new Options(host, port, data, store, faults);
        }

        private static int parsePort(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException notANumber) {
                // fall through to the usage message
            }
            throw new UsageException("--port must be a number from 0 to 65535, was " + value + ".");
        }

        ServerLauncher.Settings settings() {
            return new ServerLauncher.Settings(host, port, dataDir, storeUrl, faultsFile);
        }
    }

    /** A command line that cannot be run; the message says what to change. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException usage) {
            if (usage.getMessage() != null) {
                System.err.println(usage.getMessage());
            }
            System.err.println("Usage: rebatch server [--host 127.0.0.1] [--port " + DEFAULT_PORT
                    + "] [--data ~/.rebatch/data] [--store jdbc:postgresql://HOST:5432/DB?user=U] [--faults FILE]");
            System.exit(usage.getMessage() == null ? 0 : 2);
            return;
        }
        ServerLauncher.Running running;
        try {
            running = ServerLauncher.start(options.settings(), System.getenv());
        } catch (ServerLauncher.StartRefusedException refused) {
            System.err.println("Cannot start: " + refused.getMessage());
            System.exit(2);
            return;
        }
        running.printBanner(new PrintWriter(System.out, true));
        running.awaitShutdown();
    }
}
