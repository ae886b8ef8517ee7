package dev.quilt.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.cli.CliException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "524288, 524288",
        "512k, 524288",
        "512K, 524288",
        "1.5M, 1572864",
        "256M, 268435456",
        "3.99G, 4284229877",
        "1T, 1099511627776",
        "64mb, 67108864",
    })
    void suffixesArePowersOf1024AndDecimalsAreAllowed(String text, long bytes) {
        assertThat(ByteSize.parse("--datasize", text)).isEqualTo(bytes);
    }

    @Test
    void textThatIsNotASizeNamesTheFlagAndTheExpectedForm() {
        assertThatThrownBy(() -> ByteSize.parse("--datasize", "12x"))
                .isInstanceOf(CliException.class)
                .hasMessage("--datasize: '12x' is not a size (expected: bytes with an optional k, M, G or T suffix, e.g. 512k or 1.5G)");
    }
}
