package dev.rebatch.retry.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CategoryTest {

    @ParameterizedTest(name = "{0}: transient={1}, mayHaveBeenApplied={2}")
    @CsvSource({
        "NETWORK_NOT_SENT, true,  false",
        "NETWORK_UNKNOWN,  true,  true",
        "SERVER,           true,  true",
        "THROTTLED,        true,  true",
        "CONFLICT,         false, false",
        "CLIENT,           false, false",
        "SUCCESS,          false, false",
    })
    void flags(Category category, boolean isTransient, boolean mayHaveBeenApplied) {
        assertThat(category.isTransient()).as("%s.isTransient()", category).isEqualTo(isTransient);
        assertThat(category.mayHaveBeenApplied()).as("%s.mayHaveBeenApplied()", category)
                .isEqualTo(mayHaveBeenApplied);
    }

    @Test
    void theTableAboveCoversEveryCategory() {
        assertThat(Arrays.stream(Category.values()).map(Category::name))
                .containsExactly("NETWORK_NOT_SENT", "NETWORK_UNKNOWN", "SERVER", "THROTTLED", "CONFLICT", "CLIENT",
                        "SUCCESS");
    }

    @Test
    void onlyTransientFailuresMayHaveBeenApplied() {
        assertThat(Category.values())
                .filteredOn(Category::mayHaveBeenApplied)
                .allMatch(Category::isTransient);
    }
}
