package dev.quilt.zstor.pipeline;

import dev.quilt.zstor.config.MasterKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for one object's stripes under a data key of its own (JDK crypto only).
 *
 * <p>Format. The data key is 32 random bytes, stored only wrapped:
 * {@code [version 0x01][nonce: 12 random bytes][AES-256-GCM(master key, data key) + 16-byte tag]},
 * 61 bytes, with associated data {@code "quilt-zstor-data-key" || objectId}, so a wrapped key
 * copied into another object's metadata does not unwrap. A sealed stripe is a run of segments,
 * each sealing up to {@value #SEGMENT_BYTES} bytes of the input: {@code ciphertext || 16-byte tag}
 * per segment, so a stripe of {@code len} bytes seals to {@link #sealedLength sealedLength(len)}
 * bytes ({@code len} plus 16 per segment; an empty input is one empty segment).
 *
 * <p>Why segments: the JDK's AES-GCM runs at GB/s only once its (AVX-512 / CLMUL) intrinsic is
 * JIT-compiled, which takes on the order of a thousand calls. One call per multi-MiB stripe never
 * gets there and runs at tens of MB/s; 64 KiB segments warm it up within the first tens of MiB, for
 * encryption and decryption alike. The extra tags cost 0.025 %.
 *
 * <p>Nonces. Segment s of stripe i uses the 12-byte nonce {@code [s as 4 bytes][i as 8 bytes]},
 * big-endian. A data key is drawn fresh for every stored object and each stripe index is sealed
 * once per object, so no (key, nonce) pair is ever used twice. Code that re-encodes an object
 * (rebuild) must reuse the sealed stripes or draw a new data key; it must never seal different
 * bytes under an old index.
 *
 * <p>Binding. Each segment's associated data is
 * {@code [0x01][flags][i as 8 bytes][s as 4 bytes][last: 0 or 1][objectId]}, so segments and
 * stripes cannot be swapped between positions or objects, a stripe cannot be truncated or extended
 * by whole segments, and the flags (compressed or not) cannot be altered without failing
 * authentication.
 *
 * <p>Thread-safe: every call uses its own {@link Cipher}.
 */
public final class ObjectCipher {

    /** Bytes each sealed segment adds to its input: the GCM tag. */
    public static final int TAG_BYTES = 16;
    /** Input bytes per sealed segment (the last one may be shorter). */
    public static final int SEGMENT_BYTES = 64 * 1024;
    /** Length of {@link #wrappedKey()}. */
    public static final int WRAPPED_KEY_BYTES = 1 + 12 + 32 + TAG_BYTES;

    private static final byte VERSION = 1;
    private static final byte[] WRAP_CONTEXT = "quilt-zstor-data-key".getBytes(StandardCharsets.US_ASCII);

    private final SecretKey dataKey;
    private final byte[] objectId;
    private final byte[] wrappedKey;

    private ObjectCipher(SecretKey dataKey, byte[] objectId, byte[] wrappedKey) {
        this.dataKey = dataKey;
        this.objectId = objectId;
        this.wrappedKey = wrappedKey;
    }

    /** A new object: a random data key, wrapped under the master key. */
    public static ObjectCipher create(MasterKey master, byte[] objectId, SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        try {
            Cipher wrap = Cipher.getInstance("AES/GCM/NoPadding");
            wrap.init(Cipher.ENCRYPT_MODE, master.secretKey(), new GCMParameterSpec(128, nonce));
            wrap.updateAAD(wrapContext(objectId));
            byte[] sealedKey = wrap.doFinal(key);
            byte[] wrapped = ByteBuffer.allocate(WRAPPED_KEY_BYTES).put(VERSION).put(nonce).put(sealedKey).array();
            return new ObjectCipher(new SecretKeySpec(key, "AES"), objectId.clone(), wrapped);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * An existing object, from the wrapped key in its metadata.
     *
     * @throws CorruptDataException when the wrapped key is malformed, belongs to another object, or
     *     the master key is not the one it was wrapped with
     */
    public static ObjectCipher unwrap(MasterKey master, byte[] objectId, byte[] wrappedKey) throws CorruptDataException {
        if (wrappedKey.length != WRAPPED_KEY_BYTES || wrappedKey[0] != VERSION) {
            throw new CorruptDataException(String.format(Locale.ROOT,
                    "wrapped data key of object %s: %d bytes, version %d (expected: %d bytes, version %d)",
                    hex(objectId), wrappedKey.length, wrappedKey.length > 0 ? wrappedKey[0] : -1,
                    WRAPPED_KEY_BYTES, VERSION));
        }
        try {
            Cipher unwrap = Cipher.getInstance("AES/GCM/NoPadding");
            unwrap.init(Cipher.DECRYPT_MODE, master.secretKey(), new GCMParameterSpec(128, wrappedKey, 1, 12));
            unwrap.updateAAD(wrapContext(objectId));
            byte[] key = unwrap.doFinal(wrappedKey, 13, WRAPPED_KEY_BYTES - 13);
            try {
                return new ObjectCipher(new SecretKeySpec(key, "AES"), objectId.clone(), wrappedKey.clone());
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new CorruptDataException("wrapped data key of object " + hex(objectId)
                    + " does not authenticate: the master key differs from the one it was stored with,"
                    + " or the metadata was altered", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
        }
    }

    /** The data key wrapped under the master key; store it in the object's metadata. */
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    /** Bytes {@link #seal} writes for an input of {@code length} bytes. */
    public static int sealedLength(int length) {
        return Math.addExact(length, TAG_BYTES * segments(length));
    }

    private static int segments(int length) {
        return Math.max(1, (length + SEGMENT_BYTES - 1) / SEGMENT_BYTES);
    }

    /**
     * Encrypts {@code src[off, off+len)} as stripe {@code index} into {@code dst} from offset 0.
     *
     * @return {@link #sealedLength sealedLength(len)}
     */
    public int seal(long index, byte flags, byte[] src, int off, int len, byte[] dst) {
        try {
            return crypt(Cipher.ENCRYPT_MODE, index, flags, src, off, len, dst, segments(len), SEGMENT_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing stripe " + index + " (dst " + dst.length + " bytes for "
                    + len + "; expected: >= " + sealedLength(len) + ")", e);
        }
    }

    /**
     * Decrypts and authenticates sealed stripe {@code index} into {@code dst} from offset 0. No
     * plaintext is left in {@code dst} unless the whole stripe authenticates.
     *
     * @return the plaintext length
     * @throws CorruptDataException when the stripe was altered, truncated, moved from another
     *     position or object, or sealed with other flags
     */
    public int open(long index, byte flags, byte[] src, int off, int len, byte[] dst) throws CorruptDataException {
        int sealedSegment = SEGMENT_BYTES + TAG_BYTES;
        int segments = Math.max(1, (len + sealedSegment - 1) / sealedSegment);
        int lastSealed = len - (segments - 1) * sealedSegment;
        if (lastSealed < TAG_BYTES || (segments > 1 && lastSealed == TAG_BYTES)) {
            throw new CorruptDataException(String.format(Locale.ROOT,
                    "stripe %d of object %s: %d sealed bytes (expected: %d-byte segments of input plus a"
                            + " %d-byte tag each)", index, hex(objectId), len, SEGMENT_BYTES, TAG_BYTES));
        }
        try {
            return crypt(Cipher.DECRYPT_MODE, index, flags, src, off, len, dst, segments, sealedSegment);
        } catch (AEADBadTagException e) {
            // Earlier segments may have opened: leave none of their plaintext behind.
            Arrays.fill(dst, 0, Math.min(dst.length, len), (byte) 0);
            throw new CorruptDataException(String.format(Locale.ROOT,
                    "stripe %d of object %s does not authenticate (%d bytes): the stored bytes were altered"
                            + " or belong elsewhere", index, hex(objectId), len), e);
        } catch (GeneralSecurityException e) {
            Arrays.fill(dst, 0, Math.min(dst.length, len), (byte) 0);
            throw new IllegalStateException("opening stripe " + index, e);
        }
    }

    /** Runs {@code segments} GCM messages of {@code segment} input bytes each (the last may be shorter) into {@code dst}. */
    private int crypt(int mode, long index, byte flags, byte[] src, int off, int len, byte[] dst, int segments,
            int segment) throws GeneralSecurityException {
        int written = 0;
        for (int s = 0; s < segments; s++) {
            int from = s * segment;
            Cipher cipher = init(mode, index, flags, s, s == segments - 1);
            written += cipher.doFinal(src, off + from, Math.min(segment, len - from), dst, written);
        }
        return written;
    }

    private Cipher init(int mode, long index, byte flags, int segment, boolean last) throws GeneralSecurityException {
        if (index < 0) {
            throw new IllegalArgumentException("index < 0: " + index);
        }
        byte[] nonce = ByteBuffer.allocate(12).putInt(segment).putLong(index).array();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, dataKey, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(ByteBuffer.allocate(15 + objectId.length)
                .put(VERSION).put(flags).putLong(index).putInt(segment).put((byte) (last ? 1 : 0)).put(objectId).array());
        return cipher;
    }

    private static byte[] wrapContext(byte[] objectId) {
        return ByteBuffer.allocate(WRAP_CONTEXT.length + objectId.length).put(WRAP_CONTEXT).put(objectId).array();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "ObjectCipher[object=" + hex(objectId) + ", key redacted]";
    }
}
