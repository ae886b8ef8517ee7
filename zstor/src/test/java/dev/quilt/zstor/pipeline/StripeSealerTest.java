package dev.quilt.zstor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zstor.config.MasterKey;
import dev.quilt.zstor.config.ZstorConfig.Compression;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StripeSealerTest {

    static final Compression ZSTD = new Compression(Compression.Algorithm.ZSTD, 1);
    final ObjectCipher cipher = ObjectCipher.create(MasterKey.of(new byte[32]), new byte[] {1, 2, 3}, new SecureRandom());

    @Test
    void compressibleStripeIsCompressedAndFlagged() throws Exception {
        StripeSealer sealer = new StripeSealer(cipher, ZSTD, 65536, BufferAllocator.heap());
        byte[] plain = new byte[65536];
        Arrays.fill(plain, (byte) 'a');

        StripeSealer.Sealed sealed = sealer.seal(0, plain, plain.length);

        assertThat(sealed.flags()).isEqualTo(StripeSealer.FLAG_ZSTD);
        assertThat(sealed.length()).isLessThan(1000);
        byte[] out = new byte[65536];
        byte[] copy = Arrays.copyOf(sealed.buffer(), sealed.length());
        assertThat(sealer.open(0, sealed.flags(), copy, 0, copy.length, plain.length, out)).isEqualTo(65536);
        assertThat(out).isEqualTo(plain);
    }

    @Test
    void incompressibleStripeIsStoredAsIs() throws Exception {
        StripeSealer sealer = new StripeSealer(cipher, ZSTD, 4096, BufferAllocator.heap());
        byte[] plain = new byte[1000];
        new SplittableRandom(1).nextBytes(plain);

        StripeSealer.Sealed sealed = sealer.seal(3, plain, plain.length);

        assertThat(sealed.flags()).isZero();
        assertThat(sealed.length()).isEqualTo(1000 + ObjectCipher.TAG_BYTES);
        byte[] out = new byte[4096];
        assertThat(sealer.open(3, (byte) 0, sealed.buffer(), 0, sealed.length(), 1000, out)).isEqualTo(1000);
        assertThat(Arrays.copyOf(out, 1000)).isEqualTo(plain);
    }

    @Test
    void tamperedCompressedStripeFailsAuthenticationNotDecompression() {
        StripeSealer sealer = new StripeSealer(cipher, ZSTD, 65536, BufferAllocator.heap());
        byte[] plain = new byte[65536];
        StripeSealer.Sealed sealed = sealer.seal(5, plain, plain.length);
        byte[] copy = Arrays.copyOf(sealed.buffer(), sealed.length());
        copy[copy.length / 2] ^= 0x10;
        assertThatThrownBy(() -> sealer.open(5, sealed.flags(), copy, 0, copy.length, plain.length, new byte[65536]))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("stripe 5 of object 010203 does not authenticate");
        assertThatThrownBy(() -> sealer.open(5, (byte) 7, copy, 0, copy.length, plain.length, new byte[65536]))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("flags 0x7");
    }

    /**
     * 256 MiB through reader, sealer and back, never held in memory: the reader allocates exactly
     * two stripe buffers and the sealer its two work buffers, however long the input.
     */
    @Test
    void streamsALargeInputWithAFixedNumberOfBuffers() throws Exception {
        int stripeSize = 1 << 20;
        long length = 256L << 20;
        CountingAllocator allocator = new CountingAllocator();
        MessageDigest inputDigest = MessageDigest.getInstance("SHA-256");
        MessageDigest outputDigest = MessageDigest.getInstance("SHA-256");
        byte[] restored = new byte[stripeSize];
        long compressedStripes = 0;
        long restoredBytes = 0;
        try (InputStream in = new DigestInputStream(new SeededInputStream(42, length), inputDigest)) {
            StripeReader reader = new StripeReader(in, stripeSize, allocator);
            StripeSealer sealer = new StripeSealer(cipher, ZSTD, stripeSize, allocator);
            int sealerBuffers = allocator.buffers.get();
            StripeReader.Stripe stripe;
            while ((stripe = reader.next()) != null) {
                StripeSealer.Sealed sealed = sealer.seal(stripe.index(), stripe.buffer(), stripe.length());
                compressedStripes += sealed.flags() == StripeSealer.FLAG_ZSTD ? 1 : 0;
                int n = sealer.open(sealed.index(), sealed.flags(), sealed.buffer(), 0, sealed.length(),
                        stripe.length(), restored);
                outputDigest.update(restored, 0, n);
                restoredBytes += n;
                assertThat(allocator.buffers.get()).isLessThanOrEqualTo(sealerBuffers + 2);
            }
            assertThat(reader.stripes()).isEqualTo(256);
            assertThat(sealerBuffers).isEqualTo(2);
        }
        assertThat(restoredBytes).isEqualTo(length);
        assertThat(outputDigest.digest()).isEqualTo(inputDigest.digest());
        assertThat(allocator.buffers.get()).isEqualTo(4);
        assertThat(allocator.bytes.get()).isLessThan(5L * stripeSize);
        assertThat(compressedStripes).isBetween(1L, 255L);
    }
}
