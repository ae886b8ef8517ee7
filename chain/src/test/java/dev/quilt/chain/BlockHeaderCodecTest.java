package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Hash256;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BlockHeaderCodecTest {
    static final BlockHeader VECTOR_HEADER = new BlockHeader("quilt-test", 7, 1_700_000_000L, filled(0x11), filled(0x22),
            filled(0x33), filled(0x44), filled(0x55));

    static Hash256 filled(int b) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) b);
        return Hash256.of(bytes);
    }

    @Test
    void headerMatchesItsGoldenVectorAndHash() {
        byte[] vector = GoldenVectors.bytes("block-header-v1.hex");
        assertThat(HexFormat.of().formatHex(VECTOR_HEADER.encode())).isEqualTo(HexFormat.of().formatHex(vector));
        assertThat(BlockHeader.decode(vector)).isEqualTo(VECTOR_HEADER);
        // SHA-256("quilt/header/v1" | encoding), computed independently of this code.
        assertThat(VECTOR_HEADER.hash()).isEqualTo(Hash256.fromHex("0a549e984d6ce934c1db55bfa2ea5faf4fdf874f1d3f01cd2ce3d274a99215a4"));
    }

    @Test
    void rejectsAnUnknownVersionAndTrailingBytes() {
        byte[] vector = GoldenVectors.bytes("block-header-v1.hex");
        byte[] v2 = vector.clone();
        v2[0] = 2;
        assertThatThrownBy(() -> BlockHeader.decode(v2)).isInstanceOf(CodecException.class)
                .hasMessage("header.version at offset 0: unsupported header version 2");
        assertThatThrownBy(() -> BlockHeader.decode(Arrays.copyOf(vector, vector.length + 1)))
                .isInstanceOf(CodecException.class);
    }
}
