package dev.rebatch.server.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NodeTokensTest {

    @Test
    void aTokenMatchesOnlyItsOwnHash() {
        String token = NodeTokens.newToken();
        String hash = NodeTokens.hash(token);

        assertThat(NodeTokens.matches(token, hash)).isTrue();
        assertThat(NodeTokens.matches(NodeTokens.newToken(), hash)).isFalse();
        assertThat(NodeTokens.matches(null, hash)).isFalse();
        assertThat(NodeTokens.matches(token, null)).isFalse();
        assertThat(NodeTokens.matches(token, "not hex")).isFalse();
        assertThat(hash).as("the token itself is never what is stored").doesNotContain(token).hasSize(64);
    }

    @Test
    void tokensAreLongAndDifferent() {
        assertThat(NodeTokens.newToken()).hasSize(43).isNotEqualTo(NodeTokens.newToken());
    }

    @Property
    void noOtherStringMatchesAToken(@ForAll String other) {
        String token = NodeTokens.newToken();
        assertThat(NodeTokens.matches(other, NodeTokens.hash(token))).isEqualTo(other.equals(token));
    }
}
