package dev.quilt.zstor.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ShardKeyTest {

    @Test
    void isHashThenGenerationThenStripeThenIndexBigEndian() {
        byte[] hash = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        ShardKey key = new ShardKey(hash, 0x0102030405060708L, 0x0a0b0c0d, 5);
        assertThat(HexFormat.of().formatHex(key.bytes()))
                .isEqualTo("00112233445566778899aabbccddeeff" + "0102030405060708" + "0a0b0c0d" + "05");
        assertThat(key.bytes()).hasSize(ShardKey.BYTES);
    }

    @Test
    void generationsNeverShareAKey() {
        byte[] hash = new byte[16];
        assertThat(new ShardKey(hash, 1, 0, 0).bytes()).isNotEqualTo(new ShardKey(hash, 2, 0, 0).bytes());
        assertThat(new ShardKey(hash, 1, 0, 0)).isEqualTo(new ShardKey(hash.clone(), 1, 0, 0));
    }

    @Test
    void refusesAWrongHashLengthOrIndex() {
        assertThatThrownBy(() -> new ShardKey(new byte[15], 0, 0, 0)).hasMessage("objectHash length: 15 (expected: 16)");
        assertThatThrownBy(() -> new ShardKey(new byte[16], 0, 0, 255))
                .hasMessage("stripe: 0, index: 255 (expected: stripe >= 0, index 0..254)");
    }
}
