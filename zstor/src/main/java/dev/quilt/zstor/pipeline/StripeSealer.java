package dev.quilt.zstor.pipeline;

import dev.quilt.zstor.config.ZstorConfig.Compression;
import java.util.Locale;

/**
 * The per-stripe half of the store path and its inverse: compress (when it helps), then seal with
 * the object's {@link ObjectCipher}. The sealed bytes are what Reed-Solomon splits into shards.
 *
 * <p>Limits: two work buffers of about {@code stripeSize} bytes each, allocated once; a
 * {@link Sealed} result points into one of them and stays valid until the next {@link #seal}.
 *
 * <p>Not thread-safe: one sealer per object in flight.
 */
public final class StripeSealer {

    /** Flag bit: the stripe was compressed with zstd before sealing. */
    public static final byte FLAG_ZSTD = 0x01;

    /**
     * A sealed stripe: bytes {@code [0, length)} of {@code buffer}.
     *
     * @param flags {@link #FLAG_ZSTD} or 0; record it with the stripe, {@link #open} needs it
     */
    public record Sealed(long index, byte flags, byte[] buffer, int length) {
    }

    private final ObjectCipher cipher;
    private final Compressor compressor;
    private final int stripeSize;
    private final byte[] compressed;
    private final byte[] sealed;

    /** @param compression {@code null} or {@code NONE} turns compression off */
    public StripeSealer(ObjectCipher cipher, Compression compression, int stripeSize, BufferAllocator allocator) {
        this.cipher = cipher;
        this.stripeSize = stripeSize;
        boolean zstd = compression != null && compression.algorithm() == Compression.Algorithm.ZSTD;
        this.compressor = zstd ? new Compressor(compression.level()) : null;
        this.compressed = zstd ? allocator.allocate(Compressor.bound(stripeSize)) : null;
        this.sealed = allocator.allocate(maxSealedLength(stripeSize));
    }

    /** The largest sealed stripe: a whole stripe sealed uncompressed. */
    public static int maxSealedLength(int stripeSize) {
        return ObjectCipher.sealedLength(stripeSize);
    }

    /** Compresses (if that shrinks it) and seals stripe {@code index}, bytes {@code [0, length)} of {@code buffer}. */
    public Sealed seal(long index, byte[] buffer, int length) {
        if (length > stripeSize) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "length: %d (expected: <= stripeSize %d)", length, stripeSize));
        }
        int compressedLength = compressor == null ? -1 : compressor.compress(buffer, 0, length, compressed);
        if (compressedLength >= 0) {
            return new Sealed(index, FLAG_ZSTD, sealed,
                    cipher.seal(index, FLAG_ZSTD, compressed, 0, compressedLength, sealed));
        }
        return new Sealed(index, (byte) 0, sealed, cipher.seal(index, (byte) 0, buffer, 0, length, sealed));
    }

    /**
     * Authenticates, decrypts and decompresses a sealed stripe into {@code dst} from offset 0.
     * Uses this sealer's work buffer for compressed stripes.
     *
     * @param plainLength the stripe's length before sealing (the stripe size, or less for the last)
     * @throws CorruptDataException when the stripe does not authenticate or does not decompress to
     *     {@code plainLength} bytes; {@code dst} then holds no plaintext of it
     */
    public int open(long index, byte flags, byte[] src, int off, int len, int plainLength, byte[] dst)
            throws CorruptDataException {
        if (plainLength > dst.length || plainLength > stripeSize) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "plainLength: %d (expected: <= dst %d and stripeSize %d)", plainLength, dst.length, stripeSize));
        }
        if (len > maxSealedLength(stripeSize)) {
            throw new CorruptDataException(String.format(Locale.ROOT, "stripe %d: %d sealed bytes (expected: <= %d)",
                    index, len, maxSealedLength(stripeSize)));
        }
        switch (flags) {
            case FLAG_ZSTD -> {
                byte[] work = compressed != null ? compressed : new byte[len];
                int n = cipher.open(index, flags, src, off, len, work);
                return Compressor.decompress(work, 0, n, dst, plainLength);
            }
            case 0 -> {
                if (len != ObjectCipher.sealedLength(plainLength)) {
                    throw new CorruptDataException(String.format(Locale.ROOT,
                            "stripe %d: %d sealed bytes (expected: %d for %d plain bytes)",
                            index, len, ObjectCipher.sealedLength(plainLength), plainLength));
                }
                return cipher.open(index, flags, src, off, len, dst);
            }
            default -> throw new CorruptDataException("stripe " + index + ": flags 0x"
                    + Integer.toHexString(flags & 0xff) + " (expected: 0x00 or 0x01)");
        }
    }
}
