package dev.rebatch.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts this server accepts, looked up by name case-insensitively: java11.2 lowercases the account name in
 * what it signs but sends it as configured in the header, so names differing only in case must be one account.
 *
 * <p>Configured from the environment (see {@link #fromEnvironment}); with nothing configured the server runs with
 * the well-known {@linkplain #DEVELOPMENT_ACCOUNT_NAME development account}, like Azurite's
 * {@code devstoreaccount1}, and {@link #usesDevelopmentAccount()} says so for the start banner.
 */
public final class AccountRegistry {

    public static final String NAME_VARIABLE = "REBATCH_ACCOUNT_NAME";
    public static final String KEY_VARIABLE = "REBATCH_ACCOUNT_KEY";
    /** A file of several accounts: one {@code name:base64key} a line; blank lines and {@code #} comments skipped. */
    public static final String FILE_VARIABLE = "REBATCH_ACCOUNTS_FILE";

    public static final String DEVELOPMENT_ACCOUNT_NAME = "devaccount";
    /**
     * The development account's key. It is published here and in the docs, so it protects nothing: it exists so
     * that a local server and its clients work without setup, the way Azurite's published key does.
     */
    public static final String DEVELOPMENT_ACCOUNT_KEY =
            "R6w8yaQ0FWugEuFhRSRuD/JKymnyFngfcUc3vPcKgGCfWo51gLOCHRry8FdbqrB7M5VxxgzeN/DzR2LWiHaHLw==";

    private final Map<String, Account> byLowerCaseName;
    private final boolean developmentAccount;
    private final String keySource;

    private AccountRegistry(Map<String, Account> byLowerCaseName, boolean developmentAccount, String keySource) {
        this.byLowerCaseName = byLowerCaseName;
        this.developmentAccount = developmentAccount;
        this.keySource = keySource;
    }

    /**
     * Accounts from {@value #NAME_VARIABLE} with {@value #KEY_VARIABLE} (both or neither) and from the file named
     * by {@value #FILE_VARIABLE}; both sources may be used together. A blank variable counts as unset, because
     * container tooling often passes empty ones. When neither source gives an account, the development account.
     *
     * @throws AccountConfigurationException when only one of name and key is set, a key is not Base64, the file
     *     cannot be read or has a bad line, or two accounts share a name
     */
    public static AccountRegistry fromEnvironment(Map<String, String> environment) {
        String name = nonBlank(environment.get(NAME_VARIABLE));
        String key = nonBlank(environment.get(KEY_VARIABLE));
        String file = nonBlank(environment.get(FILE_VARIABLE));
        if ((name == null) != (key == null)) {
            throw new AccountConfigurationException(NAME_VARIABLE + " and " + KEY_VARIABLE
                    + " must be set together; only " + (name == null ? KEY_VARIABLE : NAME_VARIABLE) + " is set");
        }

        List<Account> accounts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        if (name != null) {
            try {
                accounts.add(Account.fromBase64(name, key));
            } catch (IllegalArgumentException e) {
                throw new AccountConfigurationException(NAME_VARIABLE + "/" + KEY_VARIABLE + ": " + e.getMessage());
            }
            sources.add("environment (" + NAME_VARIABLE + ", " + KEY_VARIABLE + ")");
        }
        if (file != null) {
            accounts.addAll(readAccountsFile(Path.of(file)));
            sources.add("file " + file);
        }
        if (accounts.isEmpty()) {
            return development();
        }
        return new AccountRegistry(index(accounts), false, String.join(" and ", sources));
    }

    /** Exactly these accounts; for tests and embedding. */
    public static AccountRegistry of(Collection<Account> accounts) {
        return new AccountRegistry(index(accounts), false, "supplied by the caller");
    }

    /** Only the development account. */
    public static AccountRegistry development() {
        Account account = Account.fromBase64(DEVELOPMENT_ACCOUNT_NAME, DEVELOPMENT_ACCOUNT_KEY);
        return new AccountRegistry(index(List.of(account)), true,
                "built-in development key (published; set " + NAME_VARIABLE + " and " + KEY_VARIABLE
                        + " or " + FILE_VARIABLE + " for anything but local development)");
    }

    /** Reads an accounts file; see {@value #FILE_VARIABLE} for the format. */
    public static List<Account> readAccountsFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AccountConfigurationException("cannot read accounts file " + file + ": " + e, e);
        }
        return parseAccounts(lines, "accounts file " + file);
    }

    /**
     * Parses {@code name:base64key} lines; {@code source} names them in error messages, which give the 1-based
     * line number and never the key.
     */
    public static List<Account> parseAccounts(List<String> lines, String source) {
        List<Account> accounts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ", line " + (i + 1) + ": ";
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new AccountConfigurationException(where + "expected name:base64key");
            }
            Account account;
            try {
                account = Account.fromBase64(line.substring(0, colon).strip(), line.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new AccountConfigurationException(where + e.getMessage());
            }
            if (!seen.add(account.name().toLowerCase(Locale.ROOT))) {
                throw new AccountConfigurationException(where + duplicate(account));
            }
            accounts.add(account);
        }
        if (accounts.isEmpty()) {
            throw new AccountConfigurationException(source + " defines no accounts");
        }
        return accounts;
    }

    /** The account with this name, ignoring case. */
    public Optional<Account> find(String name) {
        return Optional.ofNullable(byLowerCaseName.get(name.toLowerCase(Locale.ROOT)));
    }

    public List<Account> accounts() {
        return List.copyOf(byLowerCaseName.values());
    }

    /** Whether the server runs with the published development key, which the start banner should warn about. */
    public boolean usesDevelopmentAccount() {
        return developmentAccount;
    }

    /** Where the keys came from, for the start banner; never a key. */
    public String keySource() {
        return keySource;
    }

    @Override
    public String toString() {
        return "AccountRegistry" + accounts() + " from " + keySource;
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Map<String, Account> index(Collection<Account> accounts) {
        Map<String, Account> byName = new LinkedHashMap<>();
        for (Account account : accounts) {
            if (byName.putIfAbsent(account.name().toLowerCase(Locale.ROOT), account) != null) {
                throw new AccountConfigurationException(duplicate(account));
            }
        }
        return byName;
    }

    private static String duplicate(Account account) {
        return "account '" + account.name() + "' is defined twice (names are compared case-insensitively)";
    }
}
