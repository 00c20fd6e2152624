package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Keyed reads on PostgreSQL prepare few distinct statements, so that each connection soon runs them with a generic
 * plan instead of planning every read again; their padding must never cost more than the keys read.
 */
class KeyedReadSizeProperties {

    @Property
    void aReadFitsTheStatementItIsPaddedToWithLessThanAsManyBranchesAgain(
            @ForAll @IntRange(min = 1, max = 100) int keys) {
        int size = JdbcDispatch.keysPerStatement(keys);

        assertThat(size).isGreaterThanOrEqualTo(keys).isLessThan(2 * keys).isLessThanOrEqualTo(100);
    }

    @Test
    void everyReadOfOneToAHundredKeysUsesOneOfEightStatements() {
        Set<Integer> sizes = new TreeSet<>();
        IntStream.rangeClosed(1, 100).forEach(keys -> sizes.add(JdbcDispatch.keysPerStatement(keys)));

        assertThat(sizes).containsExactly(1, 2, 4, 8, 16, 32, 64, 100);
    }

    @Test
    void moreKeysThanOneStatementTakesAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> JdbcDispatch.keysPerStatement(101));
    }
}
