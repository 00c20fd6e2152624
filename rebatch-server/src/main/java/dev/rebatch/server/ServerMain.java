package dev.rebatch.server;

import dev.rebatch.server.auth.AccountConfigurationException;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.faults.FaultRules;
import dev.rebatch.server.faults.FaultRulesException;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.http.SharedKeyRequestAuthenticator;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * {@code rebatch server [--host H] [--port N] [--data DIR] [--store JDBC-URL] [--faults FILE]}: runs the service until stopped,
 * after printing where it listens, which account it serves and where that account's key comes from.
 */
public final class ServerMain {

    static final int DEFAULT_PORT = 8070;

    private ServerMain() {}

    /** The parsed command line. */
    record Options(String host, int port, Path dataDir, String storeUrl, Path faultsFile) {

        static Options parse(String[] args) {
            String host = "127.0.0.1";
            int port = DEFAULT_PORT;
            Path data = Path.of(System.getProperty("user.home"), ".rebatch", "data");
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
        AccountRegistry accounts;
        FaultRules faultRules;
        try {
            options = Options.parse(args);
            accounts = AccountRegistry.fromEnvironment(System.getenv());
            // Off unless asked for; a bad file stops the start rather than running without the faults it meant.
            faultRules = options.faultsFile() == null ? FaultRules.none() : FaultRules.load(options.faultsFile());
        } catch (UsageException usage) {
            if (usage.getMessage() != null) {
                System.err.println(usage.getMessage());
            }
            System.err.println("Usage: rebatch server [--host 127.0.0.1] [--port " + DEFAULT_PORT
                    + "] [--data ~/.rebatch/data] [--store jdbc:postgresql://HOST:5432/DB?user=U] [--faults FILE]");
            System.exit(usage.getMessage() == null ? 0 : 2);
            return;
        } catch (AccountConfigurationException accountProblem) {
            System.err.println("Cannot start: " + accountProblem.getMessage());
            System.exit(2);
            return;
        } catch (FaultRulesException faultsProblem) {
            System.err.println("Cannot start: --faults: " + faultsProblem.getMessage());
            System.exit(2);
            return;
        }
        BatchStore store = BatchStores.open(options.storeUrl(), options.dataDir());
        RebatchServer server = RebatchServer.start(options.host(), options.port(), store,
                new SharedKeyRequestAuthenticator(accounts, Clock.systemUTC()), Clock.systemUTC(), ServiceLimits.DEFAULTS,
                store::isSaturated, new FaultInjector(faultRules, Clock.systemUTC()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            store.close();
            stopped.countDown();
        }, "rebatch-shutdown"));
        printBanner(options, accounts, server.port(), faultRules);
        stopped.await();
    }

    private static void printBanner(Options options, AccountRegistry accounts, int port, FaultRules faultRules) {
        System.out.println("Rebatch is serving the Azure Batch API at http://" + options.host() + ":" + port);
        System.out.println("  store:    " + (options.storeUrl() == null
                ? "embedded, in " + options.dataDir().toAbsolutePath()
                : "PostgreSQL (" + options.storeUrl().replaceAll("password=[^&]*", "password=***") + ")"));
        accounts.accounts().forEach(account -> System.out.println("  account:  " + account.name()));
        System.out.println("  key from: " + accounts.keySource());
        if (accounts.usesDevelopmentAccount()) {
            System.out.println("  key:      " + AccountRegistry.DEVELOPMENT_ACCOUNT_KEY);
        }
        if (!faultRules.rules().isEmpty()) {
            System.out.println("  FAULTS:   ON, " + faultRules.rules().size() + " rule(s) from " + options.faultsFile()
                    + " (seed " + faultRules.seed() + "); see /rebatch/admin/faults and docs/fault-injection.md");
        }
        System.out.println("Health: GET /health (no credentials). Stop with Ctrl+C.");
    }
}
