package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeaderSignerTest {
    @TempDir
    Path dir;

    static BlockHeader at(long height, int stateByte) {
        BlockHeader h = BlockHeaderCodecTest.VECTOR_HEADER;
        return new BlockHeader(h.chainId(), height, h.time(), h.previousHash(), h.transactionsRoot(),
                BlockHeaderCodecTest.filled(stateByte), h.validatorSetHash(), h.nextValidatorSetHash());
    }

    @Test
    void neverSignsTwoHeadersAtOneHeightEvenAfterARestart() throws IOException {
        Path guard = dir.resolve("signer.state");
        HeaderSigner signer = HeaderSigner.open(TestGrid.V1, guard);
        HeaderSigner.Result first = signer.sign(at(5, 0x33));
        assertThat(first).isInstanceOf(HeaderSigner.Result.Signed.class);
        assertThat(((HeaderSigner.Result.Signed) first).signature().verifies(at(5, 0x33))).isTrue();

        HeaderSigner reopened = HeaderSigner.open(TestGrid.V1, guard);
        assertThat(reopened.lastSignedHeight()).isEqualTo(5);
        assertThat(reopened.sign(at(5, 0x34))).isEqualTo(new HeaderSigner.Result.Refused(
                "already signed header " + at(5, 0x33).hash() + " at height 5; refusing a second header "
                        + at(5, 0x34).hash() + " at that height"));
        assertThat(reopened.sign(at(4, 0x33)))
                .isEqualTo(new HeaderSigner.Result.Refused("height 4 is below the last signed height 5"));
        assertThat(reopened.sign(at(5, 0x33))).isEqualTo(first);
        assertThat(reopened.sign(at(6, 0x35))).isInstanceOf(HeaderSigner.Result.Signed.class);
    }

    @Test
    void aCorruptGuardRefusesToOpen() throws IOException {
        Path guard = dir.resolve("signer.state");
        Files.write(guard, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> HeaderSigner.open(TestGrid.V1, guard)).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt signing guard");
    }
}
