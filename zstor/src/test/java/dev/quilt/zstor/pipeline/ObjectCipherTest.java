package dev.quilt.zstor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zstor.config.MasterKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectCipherTest {

    static final MasterKey MASTER = MasterKey.of(new byte[32]);
    static final byte[] OBJECT = "object-1".getBytes(StandardCharsets.US_ASCII);
    final SecureRandom random = new SecureRandom();

    @Test
    void sealedStripeOpensAfterTheKeyIsUnwrapped() throws Exception {
        ObjectCipher writer = ObjectCipher.create(MASTER, OBJECT, random);
        byte[] plain = "a stripe of data".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = new byte[plain.length + ObjectCipher.TAG_BYTES];
        assertThat(writer.seal(7, (byte) 0, plain, 0, plain.length, sealed)).isEqualTo(sealed.length);

        ObjectCipher reader = ObjectCipher.unwrap(MASTER, OBJECT, writer.wrappedKey());
        byte[] out = new byte[plain.length];
        assertThat(reader.open(7, (byte) 0, sealed, 0, sealed.length, out)).isEqualTo(plain.length);
        assertThat(out).isEqualTo(plain);
        assertThat(writer.wrappedKey()).hasSize(ObjectCipher.WRAPPED_KEY_BYTES);
    }

    @Test
    void everyFlippedBitFailsAuthenticationAndReturnsNoBytes() {
        ObjectCipher cipher = ObjectCipher.create(MASTER, OBJECT, random);
        byte[] plain = new byte[40];
        Arrays.fill(plain, (byte) 'x');
        byte[] sealed = new byte[plain.length + ObjectCipher.TAG_BYTES];
        cipher.seal(0, (byte) 0, plain, 0, plain.length, sealed);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] out = new byte[plain.length];
            assertThatThrownBy(() -> cipher.open(0, (byte) 0, tampered, 0, tampered.length, out))
                    .isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("stripe 0 of object 6f626a6563742d31 does not authenticate");
            assertThat(out).containsOnly(0);
        }
    }

    @Test
    void aLargeStripeIsSealedInSegmentsThatCannotBeTruncatedReorderedOrAltered() throws Exception {
        ObjectCipher cipher = ObjectCipher.create(MASTER, OBJECT, random);
        byte[] plain = new byte[3 * ObjectCipher.SEGMENT_BYTES + 1000];
        random.nextBytes(plain);
        byte[] sealed = new byte[ObjectCipher.sealedLength(plain.length)];
        assertThat(sealed.length).isEqualTo(plain.length + 4 * ObjectCipher.TAG_BYTES);
        assertThat(cipher.seal(3, (byte) 0, plain, 0, plain.length, sealed)).isEqualTo(sealed.length);
        byte[] out = new byte[plain.length];
        assertThat(cipher.open(3, (byte) 0, sealed, 0, sealed.length, out)).isEqualTo(plain.length);
        assertThat(out).isEqualTo(plain);

        int segment = ObjectCipher.SEGMENT_BYTES + ObjectCipher.TAG_BYTES;
        byte[] withoutLast = Arrays.copyOf(sealed, 3 * segment);
        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, 0, swapped, segment, segment);
        System.arraycopy(sealed, segment, swapped, 0, segment);
        byte[] altered = sealed.clone();
        altered[2 * segment + 5] ^= 1;
        for (byte[] bad : List.of(withoutLast, swapped, altered)) {
            byte[] into = new byte[plain.length];
            assertThatThrownBy(() -> cipher.open(3, (byte) 0, bad, 0, bad.length, into))
                    .isInstanceOf(CorruptDataException.class).hasMessageContaining("does not authenticate");
            assertThat(into).as("no plaintext of earlier segments is left behind").containsOnly(0);
        }
    }

    @Test
    void stripesCannotBeSwappedBetweenPositionsObjectsOrFlags() throws Exception {
        ObjectCipher cipher = ObjectCipher.create(MASTER, OBJECT, random);
        byte[] plain = new byte[32];
        byte[] sealed = new byte[plain.length + ObjectCipher.TAG_BYTES];
        cipher.seal(1, (byte) 0, plain, 0, plain.length, sealed);
        byte[] out = new byte[plain.length];

        assertThatThrownBy(() -> cipher.open(2, (byte) 0, sealed, 0, sealed.length, out))
                .isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> cipher.open(1, StripeSealer.FLAG_ZSTD, sealed, 0, sealed.length, out))
                .isInstanceOf(CorruptDataException.class);
        byte[] other = "object-2".getBytes(StandardCharsets.US_ASCII);
        // Same data key, other object id: the associated data differs.
        ObjectCipher sameKeyOtherObject = ObjectCipher.unwrap(MASTER, OBJECT, cipher.wrappedKey());
        assertThat(sameKeyOtherObject.open(1, (byte) 0, sealed, 0, sealed.length, out)).isEqualTo(32);
        assertThatThrownBy(() -> ObjectCipher.unwrap(MASTER, other, cipher.wrappedKey()))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("does not authenticate");
    }

    @Test
    void wrongMasterKeyOrMangledWrappedKeyIsRefused() {
        ObjectCipher cipher = ObjectCipher.create(MASTER, OBJECT, random);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThatThrownBy(() -> ObjectCipher.unwrap(MasterKey.of(otherKey), OBJECT, cipher.wrappedKey()))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("master key differs");
        assertThatThrownBy(() -> ObjectCipher.unwrap(MASTER, OBJECT, new byte[3]))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("3 bytes, version 0 (expected: 61 bytes, version 1)");
    }

    @Test
    void noncesDifferPerStripeSoEqualStripesSealDifferently() {
        ObjectCipher cipher = ObjectCipher.create(MASTER, OBJECT, random);
        byte[] plain = new byte[32];
        byte[] a = new byte[48];
        byte[] b = new byte[48];
        cipher.seal(0, (byte) 0, plain, 0, 32, a);
        cipher.seal(1, (byte) 0, plain, 0, 32, b);
        assertThat(a).isNotEqualTo(b);
    }
}
