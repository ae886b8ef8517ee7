package dev.quilt.zstor.pipeline;

/**
 * Where pipeline stages get their buffers. Every stage allocates a fixed number of buffers when it
 * is built and reuses them, so memory per object in flight is a constant multiple of the stripe
 * size; tests count calls to prove it. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface BufferAllocator {

    /** A zeroed array of exactly {@code size} bytes. */
    byte[] allocate(int size);

    /** Plain heap arrays. */
    static BufferAllocator heap() {
        return byte[]::new;
    }
}
