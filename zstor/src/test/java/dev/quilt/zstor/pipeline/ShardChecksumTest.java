package dev.quilt.zstor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ShardChecksumTest {

    @Test
    void isTheFirstSixteenBytesOfSha256() {
        byte[] abc = "xabcx".getBytes(StandardCharsets.US_ASCII);
        // SHA-256("abc") from FIPS 180-2, first 16 bytes.
        assertThat(HexFormat.of().formatHex(ShardChecksum.of(abc, 1, 3))).isEqualTo("ba7816bf8f01cfea414140de5dae2223");
    }

    @Test
    void detectsAFlippedBit() {
        byte[] shard = new byte[1024];
        byte[] sum = ShardChecksum.of(shard, 0, shard.length);
        assertThat(ShardChecksum.matches(sum, shard, 0, shard.length)).isTrue();
        shard[500] ^= 4;
        assertThat(ShardChecksum.matches(sum, shard, 0, shard.length)).isFalse();
    }
}
