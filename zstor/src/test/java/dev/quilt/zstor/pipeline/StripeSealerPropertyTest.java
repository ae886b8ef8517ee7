package dev.quilt.zstor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zstor.config.MasterKey;
import dev.quilt.zstor.config.ZstorConfig.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class StripeSealerPropertyTest {

    private static final MasterKey MASTER = MasterKey.of(new byte[32]);

    @Property(tries = 200)
    void anyInputRoundTripsThroughReaderAndSealerHoweverItIsRead(
            @ForAll @Size(max = 5000) byte[] input,
            @ForAll @IntRange(min = 1, max = 2048) int stripeSize,
            @ForAll boolean compress,
            @ForAll boolean oneByteAtATime) throws IOException {
        ObjectCipher cipher = ObjectCipher.create(MASTER, new byte[] {9}, new SecureRandom());
        Compression compression = new Compression(compress ? Compression.Algorithm.ZSTD : Compression.Algorithm.NONE, 1);
        StripeSealer sealer = new StripeSealer(cipher, compression, stripeSize, BufferAllocator.heap());
        InputStream in = new ByteArrayInputStream(input);
        StripeReader reader = new StripeReader(oneByteAtATime ? oneByteAtATime(in) : in, stripeSize, BufferAllocator.heap());

        List<byte[]> sealed = new ArrayList<>();
        List<Byte> flags = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        StripeReader.Stripe stripe;
        while ((stripe = reader.next()) != null) {
            StripeSealer.Sealed s = sealer.seal(stripe.index(), stripe.buffer(), stripe.length());
            sealed.add(Arrays.copyOf(s.buffer(), s.length()));
            flags.add(s.flags());
            lengths.add(stripe.length());
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ObjectCipher reopened = ObjectCipher.unwrap(MASTER, new byte[] {9}, cipher.wrappedKey());
        StripeSealer opener = new StripeSealer(reopened, compression, stripeSize, BufferAllocator.heap());
        byte[] plain = new byte[stripeSize];
        for (int i = 0; i < sealed.size(); i++) {
            int n = opener.open(i, flags.get(i), sealed.get(i), 0, sealed.get(i).length, lengths.get(i), plain);
            out.write(plain, 0, n);
        }
        assertThat(out.toByteArray()).isEqualTo(input);
    }

    @Property(tries = 200)
    void aFlippedBitAnywhereIsCorruptData(
            @ForAll @Size(min = 1, max = 3000) byte[] input,
            @ForAll boolean compressible,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int position) {
        if (compressible) {
            Arrays.fill(input, 0, input.length / 2, (byte) 7);
        }
        ObjectCipher cipher = ObjectCipher.create(MASTER, new byte[] {9}, new SecureRandom());
        StripeSealer sealer = new StripeSealer(cipher, new Compression(Compression.Algorithm.ZSTD, 1), 4096,
                BufferAllocator.heap());
        StripeSealer.Sealed s = sealer.seal(0, input, input.length);
        byte[] tampered = Arrays.copyOf(s.buffer(), s.length());
        int bit = position % (tampered.length * 8);
        tampered[bit / 8] ^= (byte) (1 << (bit % 8));
        byte[] out = new byte[4096];
        assertThatThrownBy(() -> sealer.open(0, s.flags(), tampered, 0, tampered.length, input.length, out))
                .isInstanceOf(CorruptDataException.class);
        assertThat(out).containsOnly(0);
    }

    private static InputStream oneByteAtATime(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }
}
