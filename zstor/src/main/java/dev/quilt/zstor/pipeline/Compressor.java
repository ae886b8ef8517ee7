package dev.quilt.zstor.pipeline;

import com.github.luben.zstd.Zstd;
import java.util.Locale;

/**
 * zstd over one stripe at a time (zstd-jni, one frame per stripe), into caller-owned buffers.
 * A stripe that does not shrink is stored as is; the caller records that in the stripe's flags,
 * so random or already-compressed data costs one failed attempt and no expansion. Stateless and
 * thread-safe.
 */
final class Compressor {

    private final int level;

    /** @param level zstd level 1..22 */
    Compressor(int level) {
        if (level < 1 || level > 22) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "level: %d (expected: 1..22)", level));
        }
        this.level = level;
    }

    /** The output buffer size {@link #compress} needs for inputs of up to {@code length} bytes. */
    static int bound(int length) {
        return Math.toIntExact(Zstd.compressBound(length));
    }

    /**
     * Compresses {@code src[off, off+len)} into {@code dst} from offset 0.
     *
     * @return the compressed length, or -1 when the result would not be smaller than the input
     */
    int compress(byte[] src, int off, int len, byte[] dst) {
        long written = Zstd.compressByteArray(dst, 0, dst.length, src, off, len, level);
        if (Zstd.isError(written)) {
            throw new IllegalStateException("zstd: " + Zstd.getErrorName(written) + " (dst " + dst.length
                    + " bytes for " + len + " input bytes; expected: dst >= bound)");
        }
        return written < len ? (int) written : -1;
    }

    /**
     * Decompresses a frame into {@code dst} from offset 0.
     *
     * @throws CorruptDataException when the frame is invalid or does not hold {@code expectedLength} bytes
     */
    static int decompress(byte[] src, int off, int len, byte[] dst, int expectedLength) throws CorruptDataException {
        long written = Zstd.decompressByteArray(dst, 0, expectedLength, src, off, len);
        if (Zstd.isError(written) || written != expectedLength) {
            throw new CorruptDataException(String.format(Locale.ROOT, "zstd frame of %d bytes: %s (expected: %d bytes)",
                    len, Zstd.isError(written) ? Zstd.getErrorName(written) : written + " bytes", expectedLength));
        }
        return (int) written;
    }
}
