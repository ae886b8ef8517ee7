package dev.quilt.zstor.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Cuts an input stream into fixed-size stripes: every stripe but the last holds exactly
 * {@code stripeSize} bytes; an empty input has no stripes.
 *
 * <p>Limits: two buffers of {@code stripeSize} bytes, allocated on first use and then alternated,
 * so a caller may work on stripe i while stripe i+1 is read, and memory does not grow with the
 * input. A returned stripe stays valid until the second {@link #next()} call after it.
 *
 * <p>Not thread-safe. Does not close the stream.
 */
public final class StripeReader {

    /** One stripe: bytes {@code [0, length)} of {@code buffer}. */
    public record Stripe(long index, byte[] buffer, int length) {
    }

    private final InputStream in;
    private final int stripeSize;
    private final BufferAllocator allocator;
    private final byte[][] buffers = new byte[2][];
    private long nextIndex;
    private boolean eof;

    public StripeReader(InputStream in, int stripeSize, BufferAllocator allocator) {
        if (stripeSize < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "stripeSize: %d (expected: >= 1)", stripeSize));
        }
        this.in = Objects.requireNonNull(in, "in");
        this.stripeSize = stripeSize;
        this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    /** The next stripe, or {@code null} once the input is exhausted. */
    public Stripe next() throws IOException {
        if (eof) {
            return null;
        }
        int slot = (int) (nextIndex & 1);
        if (buffers[slot] == null) {
            buffers[slot] = allocator.allocate(stripeSize);
        }
        byte[] buffer = buffers[slot];
        int filled = in.readNBytes(buffer, 0, stripeSize);
        if (filled < stripeSize) {
            eof = true;
            if (filled == 0) {
                return null;
            }
        }
        return new Stripe(nextIndex++, buffer, filled);
    }

    /** Stripes returned so far. */
    public long stripes() {
        return nextIndex;
    }
}
