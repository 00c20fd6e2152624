package dev.rebatch.server.auth;

import static dev.rebatch.server.auth.AccountRegistry.FILE_VARIABLE;
import static dev.rebatch.server.auth.AccountRegistry.KEY_VARIABLE;
import static dev.rebatch.server.auth.AccountRegistry.NAME_VARIABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountRegistryTest {

    private static final String KEY_A = Base64.getEncoder().encodeToString("key of account a".getBytes());
    private static final String KEY_B = Base64.getEncoder().encodeToString("key of account b".getBytes());

    @TempDir
    Path dir;

    @Test
    void usesTheDevelopmentAccountWhenNothingIsConfigured() {
        AccountRegistry registry = AccountRegistry.fromEnvironment(Map.of(NAME_VARIABLE, " ", KEY_VARIABLE, ""));

        assertThat(registry.usesDevelopmentAccount()).isTrue();
        assertThat(registry.keySource()).contains("development").contains(NAME_VARIABLE)
                .doesNotContain(AccountRegistry.DEVELOPMENT_ACCOUNT_KEY);
        assertThat(registry.accounts()).containsExactly(Account.fromBase64(
                AccountRegistry.DEVELOPMENT_ACCOUNT_NAME, AccountRegistry.DEVELOPMENT_ACCOUNT_KEY));
    }

    @Test
    void readsOneAccountFromTheEnvironment() {
        AccountRegistry registry = AccountRegistry.fromEnvironment(Map.of(NAME_VARIABLE, "prod1", KEY_VARIABLE, KEY_A));

        assertThat(registry.usesDevelopmentAccount()).isFalse();
        assertThat(registry.keySource()).contains("environment").doesNotContain(KEY_A);
        assertThat(registry.accounts()).containsExactly(Account.fromBase64("prod1", KEY_A));
    }

    @Test
    void wantsNameAndKeyTogether() {
        assertThatThrownBy(() -> AccountRegistry.fromEnvironment(Map.of(NAME_VARIABLE, "prod1")))
                .isInstanceOf(AccountConfigurationException.class)
                .hasMessageContaining("must be set together").hasMessageContaining("only " + NAME_VARIABLE);
        assertThatThrownBy(() -> AccountRegistry.fromEnvironment(Map.of(KEY_VARIABLE, KEY_A)))
                .isInstanceOf(AccountConfigurationException.class)
                .hasMessageContaining("only " + KEY_VARIABLE).hasMessageNotContaining(KEY_A);
    }

    @Test
    void saysWhichVariableHoldsABadKeyWithoutPrintingIt() {
        assertThatThrownBy(() -> AccountRegistry.fromEnvironment(Map.of(NAME_VARIABLE, "prod1", KEY_VARIABLE, "s3cr%t")))
                .isInstanceOf(AccountConfigurationException.class)
                .hasMessageContaining(KEY_VARIABLE).hasMessageContaining("not valid Base64")
                .hasMessageNotContaining("s3cr%t");
    }

    @Test
    void readsAFileOfAccountsWithCommentsAlongsideTheEnvironmentOne() throws IOException {
        Path file = Files.writeString(dir.resolve("accounts"),
                "# team accounts\n\nteama : " + KEY_A + "  \n   # indented comment\nteamb:" + KEY_B + "\n");

        AccountRegistry registry = AccountRegistry.fromEnvironment(
                Map.of(FILE_VARIABLE, file.toString(), NAME_VARIABLE, "prod1", KEY_VARIABLE, KEY_A));

        assertThat(registry.accounts()).extracting(Account::name).containsExactly("prod1", "teama", "teamb");
        assertThat(registry.find("teamb")).contains(Account.fromBase64("teamb", KEY_B));
        assertThat(registry.keySource()).contains("environment").contains(file.toString());
        assertThat(registry.usesDevelopmentAccount()).isFalse();
    }

    @Test
    void fileErrorsNameTheLineAndNeverTheKey() {
        List<String> lines = List.of("# header", "good1:" + KEY_A, "", "bad1:" + KEY_B + "!");

        assertThatThrownBy(() -> AccountRegistry.parseAccounts(lines, "accounts file x"))
                .isInstanceOf(AccountConfigurationException.class)
                .hasMessageStartingWith("accounts file x, line 4: ")
                .hasMessageContaining("bad1").hasMessageContaining("Base64").hasMessageNotContaining(KEY_B);
        assertThatThrownBy(() -> AccountRegistry.parseAccounts(List.of(KEY_A), "f"))
                .hasMessage("f, line 1: expected name:base64key");
        assertThatThrownBy(() -> AccountRegistry.parseAccounts(List.of("ok1:" + KEY_A, "no name:" + KEY_B), "f"))
                .hasMessageStartingWith("f, line 2: invalid account name 'no name'");
        assertThatThrownBy(() -> AccountRegistry.parseAccounts(List.of("dup1:" + KEY_A, "DUP1:" + KEY_B), "f"))
                .hasMessageStartingWith("f, line 2: account 'DUP1' is defined twice");
        assertThatThrownBy(() -> AccountRegistry.parseAccounts(List.of("# only comments"), "f"))
                .hasMessage("f defines no accounts");
    }

    @Test
    void reportsAnUnreadableFile() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> AccountRegistry.fromEnvironment(Map.of(FILE_VARIABLE, missing.toString())))
                .isInstanceOf(AccountConfigurationException.class)
                .hasMessageContaining("cannot read accounts file " + missing);
    }

    @Test
    void rejectsTheSameAccountFromEnvironmentAndFile() throws IOException {
        Path file = Files.writeString(dir.resolve("accounts"), "prod1:" + KEY_B + "\n");

        assertThatThrownBy(() -> AccountRegistry.fromEnvironment(
                Map.of(FILE_VARIABLE, file.toString(), NAME_VARIABLE, "Prod1", KEY_VARIABLE, KEY_A)))
                .isInstanceOf(AccountConfigurationException.class).hasMessageContaining("defined twice");
    }

    @Test
    void findsAccountsIgnoringCase() {
        AccountRegistry registry = AccountRegistry.of(List.of(Account.fromBase64("MixedCase1", KEY_A)));

        assertThat(registry.find("mixedcase1")).map(Account::name).contains("MixedCase1");
        assertThat(registry.find("MIXEDCASE1")).isPresent();
        assertThat(registry.find("other")).isEmpty();
    }

    @Test
    void toStringHidesTheKeys() {
        AccountRegistry registry = AccountRegistry.fromEnvironment(Map.of(NAME_VARIABLE, "prod1", KEY_VARIABLE, KEY_A));

        assertThat(registry.toString()).contains("prod1").doesNotContain(KEY_A).doesNotContain("key of account");
        assertThat(AccountRegistry.development().toString())
                .contains(AccountRegistry.DEVELOPMENT_ACCOUNT_NAME)
                .doesNotContain(AccountRegistry.DEVELOPMENT_ACCOUNT_KEY);
    }
}
