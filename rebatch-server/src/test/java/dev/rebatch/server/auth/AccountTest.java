package dev.rebatch.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class AccountTest {

    private static final String KEY = Base64.getEncoder().encodeToString("sixteen byte key".getBytes());

    @Test
    void decodesTheKeyFromBase64() {
        assertThat(Account.fromBase64("acct", KEY).key()).isEqualTo("sixteen byte key".getBytes());
    }

    @Test
    void toStringHidesTheKey() {
        Account account = Account.fromBase64("acct", KEY);

        assertThat(account.toString()).contains("acct").doesNotContain(KEY)
                .doesNotContain("sixteen").doesNotContain("[B@");
    }

    @Test
    void theKeyCannotBeChangedFromOutside() {
        byte[] key = {1, 2, 3};
        Account account = new Account("acct", key);
        key[0] = 9;
        account.key()[1] = 9;

        assertThat(account.key()).containsExactly(1, 2, 3);
    }

    @Test
    void equalityComparesKeyContents() {
        assertThat(new Account("acct", new byte[] {1})).isEqualTo(new Account("acct", new byte[] {1}))
                .isNotEqualTo(new Account("acct", new byte[] {2}));
    }

    @Test
    void rejectsABadKeyWithoutQuotingIt() {
        assertThatThrownBy(() -> Account.fromBase64("acct", "not*base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acct").hasMessageContaining("Base64")
                .hasMessageNotContaining("not*base64!").hasMessageNotContaining("*");
        assertThatThrownBy(() -> Account.fromBase64("acct", "")).hasMessageContaining("empty");
    }

    @Test
    void rejectsNamesAzureWouldNot() {
        for (String name : new String[] {"ab", "a".repeat(25), "has space", "with:colon", "dev/acct", ""}) {
            assertThatThrownBy(() -> Account.fromBase64(name, KEY)).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid account name");
        }
    }
}
