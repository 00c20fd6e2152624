package dev.rebatch.node.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.model.BatchErrorCode;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void readsTheThreeForms() {
        assertThat(ByteRange.parse("bytes=0-99")).isEqualTo(ByteRange.of(0, 99));
        assertThat(ByteRange.parse("bytes=100-")).isEqualTo(ByteRange.from(100));
        assertThat(ByteRange.parse("bytes=-500")).isEqualTo(ByteRange.lastBytes(500));
        assertThat(ByteRange.parse(" bytes=5-5 ")).isEqualTo(ByteRange.of(5, 5));
    }

    @Test
    void refusesWhatIsNotOneRangeOfBytes() {
        for (String header : new String[] {"bytes=", "bytes=-", "0-99", "bytes=0-1,5-6", "items=0-1", "bytes=a-b",
                "bytes=-1-2", "bytes=99999999999999999999-"}) {
            assertThatThrownBy(() -> ByteRange.parse(header)).as(header)
                    .isInstanceOfSatisfying(TaskFileException.class,
                            e -> assertThat(e.code()).isEqualTo(BatchErrorCode.InvalidHeaderValue));
        }
        assertThatThrownBy(() -> ByteRange.parse("bytes=9-3")).isInstanceOfSatisfying(TaskFileException.class,
                e -> assertThat(e.code()).isEqualTo(BatchErrorCode.InvalidRange));
    }

    @Test
    void fallsWithinTheFileAsItIsNow() {
        assertThat(ByteRange.of(0, 99).within(1000)).isEqualTo(new ByteRange.Slice(0, 100));
        assertThat(ByteRange.of(900, 2000).within(1000)).isEqualTo(new ByteRange.Slice(900, 100));
        assertThat(ByteRange.from(10).within(1000)).isEqualTo(new ByteRange.Slice(10, 990));
        assertThat(ByteRange.lastBytes(10).within(1000)).isEqualTo(new ByteRange.Slice(990, 10));
        assertThat(ByteRange.lastBytes(5000).within(1000)).isEqualTo(new ByteRange.Slice(0, 1000));
    }

    @Test
    void aRangeWithNoByteInTheFileIsInvalidRange() {
        for (ByteRange range : new ByteRange[] {ByteRange.from(1000), ByteRange.of(1000, 1200),
                ByteRange.lastBytes(0)}) {
            assertThatThrownBy(() -> range.within(1000)).as(range.toString())
                    .isInstanceOfSatisfying(TaskFileException.class,
                            e -> assertThat(e.code()).isEqualTo(BatchErrorCode.InvalidRange));
        }
        assertThatThrownBy(() -> ByteRange.from(0).within(0)).isInstanceOf(TaskFileException.class);
    }
}
